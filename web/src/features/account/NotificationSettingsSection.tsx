import { Alert, Stack, Switch, Title } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { accountKeys } from "./account-keys";

/** Which optional mails the user gets; quarantine and rejection notices always go out. */
export function NotificationSettingsSection() {
  const queryClient = useQueryClient();
  const settings = useQuery({
    queryKey: accountKeys.notificationSettings(),
    queryFn: async () => unwrap(await api.GET("/me/notifications/settings")),
  });
  const save = useMutation({
    mutationFn: async (mailWhenReady: boolean) =>
      unwrap(await api.PATCH("/me/notifications/settings", { body: { mailWhenReady } })),
    onSuccess: (data) => queryClient.setQueryData(accountKeys.notificationSettings(), data),
  });
  const failure = settings.error ?? save.error;

  return (
    <Stack component="section" aria-labelledby="notification-settings-heading" gap="sm">
      <Title order={2} size="h3" id="notification-settings-heading">
        Notifications
      </Title>
      <Switch
        label="Mail me when my upload is ready"
        description="Mails about quarantined or rejected files are always sent."
        checked={save.isPending ? save.variables : (settings.data?.mailWhenReady ?? false)}
        disabled={!settings.data || save.isPending}
        onChange={(event) => save.mutate(event.currentTarget.checked)}
      />
      {failure && (
        <Alert color="red" role="alert">
          {errorMessage(failure)}
        </Alert>
      )}
    </Stack>
  );
}
