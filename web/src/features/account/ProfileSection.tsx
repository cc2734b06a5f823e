import { Alert, Button, Group, Stack, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { meKeys } from "../../lib/api/query-keys";
import { sessionStore } from "../../lib/api/session";
import { useSession } from "../../lib/api/use-session";

/** The display name (the address is shown, not changed here). */
export function ProfileSection() {
  const session = useSession();
  const queryClient = useQueryClient();
  const [name, setName] = useState(session?.user.name ?? "");
  const save = useMutation({
    mutationFn: async () => unwrap(await api.PATCH("/me", { body: { name: name.trim() === "" ? null : name } })),
    onSuccess: async ({ user }) => {
      sessionStore.setUser(user);
      setName(user.name ?? "");
      notifications.show({ message: "Name saved", color: "green", closeButtonProps: { "aria-label": "Dismiss" } });
      await queryClient.invalidateQueries({ queryKey: meKeys.me() });
    },
  });
  return (
    <Stack component="section" aria-labelledby="profile-heading" gap="sm">
      <Title order={2} size="h3" id="profile-heading">
        Profile
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack gap="sm" maw={420}>
          <TextInput label="E-mail" value={session?.user.email ?? ""} readOnly />
          <TextInput
            label="Name"
            description="How Coffer greets you. Leave empty to use your address."
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
          />
          {save.isError && (
            <Alert color="red" role="alert">
              {errorMessage(save.error)}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              Save name
            </Button>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
