import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  CopyButton,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import type { components } from "../../lib/api/schema";
import { accountKeys } from "./account-keys";

type Webhook = components["schemas"]["listWebhooks200"]["webhooks"][number];
type WebhookEvent = Webhook["events"][number];

const EVENTS: { value: WebhookEvent; label: string }[] = [
  { value: "file.ready", label: "File ready" },
  { value: "file.quarantined", label: "File quarantined" },
  { value: "file.rejected", label: "File rejected" },
  { value: "share.downloaded", label: "Share downloaded" },
];

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The signing secret of a new webhook, shown this once, with a copy button. */
function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <Alert
      color="yellow"
      title="Copy the signing secret now"
      role="status"
      icon={<IconAlertTriangle />}
      styles={{ title: { color: "var(--mantine-color-text)" } }}
    >
      <Stack gap="xs">
        <Text size="sm">It will not be shown again. Use it to check the Coffer-Signature header of each delivery.</Text>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            label="Signing secret"
            value={secret}
            readOnly
            onFocus={(event) => event.currentTarget.select()}
            style={{ flex: 1, minWidth: 0 }}
            styles={{ input: { fontFamily: "monospace" } }}
          />
          <CopyButton value={secret}>
            {({ copied, copy }) => (
              <Tooltip label={copied ? "Copied" : "Copy"}>
                <ActionIcon variant="default" size="lg" mt={24} onClick={copy} aria-label="Copy the signing secret">
                  {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                </ActionIcon>
              </Tooltip>
            )}
          </CopyButton>
        </Group>
        <Group justify="flex-end">
          <Button size="xs" variant="default" onClick={onDone}>
            I have saved it
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** Every delivery attempt of one webhook, newest first. */
function DeliveriesModal({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const deliveries = useQuery({
    queryKey: accountKeys.deliveries(webhook.id),
    queryFn: async () =>
      unwrap(await api.GET("/webhooks/{id}/deliveries", { params: { path: { id: webhook.id }, query: { limit: 50 } } }))
        .deliveries,
  });
  return (
    <Modal opened onClose={onClose} title="Deliveries" size="lg" closeButtonProps={{ "aria-label": "Close" }}>
      <Stack gap="xs">
        <Text size="sm" c="dimmed" style={{ overflowWrap: "anywhere" }}>
          {webhook.url}
        </Text>
        {deliveries.isPending && <Loader aria-label="Loading deliveries" />}
        {deliveries.isError && (
          <Alert color="red" role="alert">
            {errorMessage(deliveries.error)}
          </Alert>
        )}
        {deliveries.data?.length === 0 && <Text size="sm">No deliveries yet.</Text>}
        <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: "none" }} aria-label="Deliveries">
          {deliveries.data?.map((delivery) => (
            <Paper component="li" withBorder p="xs" key={delivery.id}>
              <Group gap="xs" wrap="wrap">
                <Badge color={delivery.statusCode && delivery.statusCode < 300 ? "green" : "red"} variant="light">
                  {delivery.statusCode ?? "no answer"}
                </Badge>
                <Text size="sm">{delivery.eventType}</Text>
                <Text size="xs" c="dimmed">
                  {when(delivery.at)} · attempt {delivery.attempt} · {delivery.durationMs} ms
                </Text>
              </Group>
              {delivery.error && (
                <Text size="xs" c="red" style={{ overflowWrap: "anywhere" }}>
                  {delivery.error}
                </Text>
              )}
            </Paper>
          ))}
        </Stack>
      </Stack>
    </Modal>
  );
}

/** The user's webhooks: add one (its secret shown once), see its deliveries, delete it. */
export function WebhooksSection() {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>(["file.ready", "file.quarantined", "file.rejected"]);
  const [secret, setSecret] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const [viewing, setViewing] = useState<Webhook | null>(null);
  const webhooks = useQuery({
    queryKey: accountKeys.webhooks(),
    queryFn: async () => unwrap(await api.GET("/webhooks")).webhooks,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: accountKeys.webhooks() });
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST("/webhooks", { body: { url: url.trim(), events } })),
    onSuccess: async (created) => {
      setSecret(created.secret);
      setUrl("");
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/webhooks/{id}", { params: { path: { id } } })),
    onSuccess: async () => {
      setDeleting(null);
      notifications.show({ message: "Webhook deleted", color: "green", closeButtonProps: { "aria-label": "Dismiss" } });
      await refresh();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <Stack component="section" aria-labelledby="webhooks-heading" gap="sm">
      <Title order={2} size="h3" id="webhooks-heading">
        Webhooks
      </Title>
      <Text size="sm" c="dimmed">
        Coffer POSTs each chosen event as signed JSON to your URL.
      </Text>
      <form onSubmit={submit} aria-label="Add a webhook">
        <Stack gap="xs">
          <TextInput
            label="Webhook URL"
            type="url"
            placeholder="https://example.com/coffer"
            required
            value={url}
            onChange={(event) => setUrl(event.currentTarget.value)}
          />
          <Checkbox.Group label="Events" value={events} onChange={(value) => setEvents(value as WebhookEvent[])}>
            <Group gap="md" mt={4}>
              {EVENTS.map((event) => (
                <Checkbox key={event.value} value={event.value} label={event.label} />
              ))}
            </Group>
          </Checkbox.Group>
          {create.error && (
            <Alert color="red" role="alert">
              {errorMessage(create.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} disabled={events.length === 0}>
              Add webhook
            </Button>
          </Group>
        </Stack>
      </form>
      {secret && <SecretOnce secret={secret} onDone={() => setSecret(null)} />}
      {webhooks.isPending && <Loader aria-label="Loading webhooks" />}
      {webhooks.isError && (
        <Alert color="red" role="alert">
          {errorMessage(webhooks.error)}
        </Alert>
      )}
      {webhooks.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No webhooks yet.
        </Text>
      )}
      <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: "none" }} aria-label="Webhooks">
        {webhooks.data?.map((webhook) => (
          <Paper component="li" withBorder p="sm" key={webhook.id}>
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                <Group gap="xs">
                  <Text fw={600} style={{ overflowWrap: "anywhere" }}>
                    {webhook.url}
                  </Text>
                  {webhook.disabledAt ? (
                    <Badge color="gray">Disabled</Badge>
                  ) : (
                    webhook.failingSince && <Badge color="orange">Failing</Badge>
                  )}
                </Group>
                <Text size="sm" c="dimmed">
                  {webhook.events.join(", ")} · added {when(webhook.createdAt)}
                </Text>
              </Stack>
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => setViewing(webhook)}
                  aria-label={`Deliveries of ${webhook.url}`}
                >
                  Deliveries
                </Button>
                <Button
                  size="xs"
                  variant="outline"
                  color="red"
                  onClick={() => setDeleting(webhook)}
                  aria-label={`Delete ${webhook.url}`}
                >
                  Delete
                </Button>
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
      {viewing && <DeliveriesModal webhook={viewing} onClose={() => setViewing(null)} />}
      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete this webhook?"
        closeButtonProps={{ "aria-label": "Close" }}
      >
        <Stack gap="sm">
          <Text size="sm" style={{ overflowWrap: "anywhere" }}>
            {deleting?.url} gets no more events; deliveries still retrying stop.
          </Text>
          {remove.error && (
            <Alert color="red" role="alert">
              {errorMessage(remove.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => deleting && remove.mutate(deleting.id)}>
              Delete webhook
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
