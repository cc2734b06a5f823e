import { Alert, Button, Group, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, errorMessage, unwrap } from "../../lib/api/client";
import { accountKeys } from "./account-keys";
import { MIN_PASSWORD_LENGTH } from "./ResetPasswordPage";

/** Change the password with the current one; every other session is signed out. */
export function PasswordSection() {
  const queryClient = useQueryClient();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const [confirm, setConfirm] = useState("");
  const mismatch = confirm !== "" && confirm !== newPassword;
  const change = useMutation({
    mutationFn: async () => unwrap(await api.POST("/me/password", { body: { currentPassword, newPassword } })),
    onSuccess: async () => {
      setCurrent("");
      setNew("");
      setConfirm("");
      notifications.show({
        message: "Password changed. Your other sessions were signed out.",
        color: "green",
        closeButtonProps: { "aria-label": "Dismiss" },
      });
      await queryClient.invalidateQueries({ queryKey: accountKeys.sessions() });
    },
  });
  const wrongCurrent = change.error instanceof ApiError && change.error.code === "wrong_password";
  return (
    <Stack component="section" aria-labelledby="password-heading" gap="sm">
      <Title order={2} size="h3" id="password-heading">
        Password
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!mismatch) change.mutate();
        }}
      >
        <Stack gap="sm" maw={420}>
          <Text size="sm" c="dimmed">
            Changing it signs out every other device; this one stays signed in. We mail you a notice.
          </Text>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            value={currentPassword}
            error={wrongCurrent ? "This is not your current password." : undefined}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            label="New password"
            description={`At least ${MIN_PASSWORD_LENGTH} characters.`}
            autoComplete="new-password"
            required
            minLength={MIN_PASSWORD_LENGTH}
            value={newPassword}
            onChange={(e) => setNew(e.currentTarget.value)}
          />
          <PasswordInput
            label="Repeat the new password"
            autoComplete="new-password"
            required
            value={confirm}
            error={mismatch ? "The two passwords differ." : undefined}
            onChange={(e) => setConfirm(e.currentTarget.value)}
          />
          {change.isError && !wrongCurrent && (
            <Alert color="red" role="alert">
              {errorMessage(change.error)}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
