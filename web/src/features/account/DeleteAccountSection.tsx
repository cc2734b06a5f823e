import { Alert, Button, Group, Modal, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate } from "react-router";
import { ApiError, api, errorMessage, unwrap } from "../../lib/api/client";
import { sessionStore } from "../../lib/api/session";
import { setLoginFlash } from "./flash";

/** Deletes the account for good after the password, once more, in a dialog. */
export function DeleteAccountSection() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [password, setPassword] = useState("");
  const remove = useMutation({
    mutationFn: async () => {
      const answer = unwrap(await api.DELETE("/me", { body: { password } }));
      // Every token just stopped working: whichever request notices first signs the page out and
      // sends it to the login page, which then says why.
      setLoginFlash("account_deleted");
      return answer;
    },
    onSuccess: () => {
      sessionStore.set(null);
      queryClient.clear();
      void navigate("/login", { replace: true });
    },
  });
  const close = () => {
    remove.reset();
    setPassword("");
    setOpened(false);
  };
  const wrong = remove.error instanceof ApiError && remove.error.code === "wrong_password";
  return (
    <Stack component="section" aria-labelledby="delete-heading" gap="sm">
      <Title order={2} size="h3" id="delete-heading">
        Delete account
      </Title>
      <Text size="sm">Your files, folders, shared links and sessions are deleted for good. This cannot be undone.</Text>
      <Group>
        <Button color="red" variant="outline" onClick={() => setOpened(true)}>
          Delete my account
        </Button>
      </Group>
      <Modal opened={opened} onClose={close} title="Delete your account?" closeButtonProps={{ "aria-label": "Close" }}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            remove.mutate();
          }}
        >
          <Stack>
            <Text size="sm">
              Every file, folder and link goes, and you are signed out everywhere at once. Enter your password to
              confirm.
            </Text>
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              data-autofocus
              value={password}
              error={wrong ? "This is not your password." : undefined}
              onChange={(e) => setPassword(e.currentTarget.value)}
            />
            {remove.isError && !wrong && (
              <Alert color="red" role="alert">
                {errorMessage(remove.error)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" color="red" loading={remove.isPending}>
                Delete everything
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
