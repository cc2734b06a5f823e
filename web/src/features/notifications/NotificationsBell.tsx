import { ActionIcon, Alert, Button, Group, Indicator, Loader, Popover, ScrollArea, Stack, Text } from "@mantine/core";
import { IconBell } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import type { components } from "../../lib/api/schema";
import { formatBytes } from "../../lib/format";

type Notification = components["schemas"]["listNotifications200"]["notifications"][number];

const notificationKeys = {
  list: () => ["notifications"] as const,
};

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
const text = (value: unknown, fallback: string) => (typeof value === "string" && value ? value : fallback);

/** What happened, in one sentence, from the notification's kind and facts. */
export function describe(notification: Notification): string {
  const { data } = notification;
  const name = text(data.name, "A file");
  const refunded = typeof data.refundedBytes === "number" ? ` ${formatBytes(data.refundedBytes)} refunded.` : "";
  switch (notification.kind) {
    case "file.quarantined":
      return `"${name}" was quarantined: threat found (${text(data.signature, "malware")}).${refunded}`;
    case "file.rejected":
      return `"${name}" was rejected: ${text(data.reason, "not allowed")}.${refunded}`;
    case "file.ready":
      return `"${name}" is ready.`;
    case "webhook.disabled":
      return `Webhook ${text(data.url, "")} was disabled after failing deliveries.`;
  }
}

/** The header bell: unread count (polled every 30 s) and a list of notifications, newest first. */
export function NotificationsBell() {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: notificationKeys.list(),
    queryFn: async () => unwrap(await api.GET("/me/notifications", { params: { query: { limit: 20 } } })),
    refetchInterval: 30_000,
  });
  const markRead = useMutation({
    mutationFn: async (body: { all: true } | { ids: string[] }) =>
      unwrap(await api.POST("/me/notifications/read", { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.list() }),
  });
  const unread = list.data?.unread ?? 0;
  const items = list.data?.notifications ?? [];

  return (
    <Popover position="bottom-end" width={360} shadow="md" withinPortal trapFocus>
      <Popover.Target>
        <ActionIcon
          variant="subtle"
          size="lg"
          aria-label={unread === 0 ? "Notifications" : `Notifications, ${unread} unread`}
        >
          <Indicator label={unread > 99 ? "99+" : unread} size={16} disabled={unread === 0} color="red">
            <IconBell size={20} />
          </Indicator>
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown maw="calc(100vw - 16px)" p="sm">
        <Stack gap="xs" role="region" aria-label="Notifications">
          <Group justify="space-between" wrap="nowrap">
            <Text fw={600}>Notifications</Text>
            <Button
              size="xs"
              variant="subtle"
              disabled={unread === 0}
              loading={markRead.isPending && "all" in (markRead.variables ?? {})}
              onClick={() => markRead.mutate({ all: true })}
            >
              Mark all read
            </Button>
          </Group>
          {list.isPending && <Loader size="sm" aria-label="Loading notifications" />}
          {(list.error ?? markRead.error) && (
            <Alert color="red" role="alert">
              {errorMessage(list.error ?? markRead.error)}
            </Alert>
          )}
          {list.isSuccess && items.length === 0 && (
            <Text size="sm" c="dimmed">
              Nothing yet.
            </Text>
          )}
          <ScrollArea.Autosize mah={400}>
            <Stack component="ul" gap={6} p={0} m={0} style={{ listStyle: "none" }} aria-label="Notification list">
              {items.map((item) => (
                <Stack component="li" key={item.id} gap={2} py={4}>
                  <Text size="sm" fw={item.readAt ? 400 : 600} style={{ overflowWrap: "anywhere" }}>
                    {describe(item)}
                  </Text>
                  <Group justify="space-between" wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      {when(item.createdAt)}
                      {item.readAt ? "" : " · unread"}
                    </Text>
                    {!item.readAt && (
                      <Button
                        size="compact-xs"
                        variant="default"
                        onClick={() => markRead.mutate({ ids: [item.id] })}
                        aria-label={`Mark read: ${describe(item)}`}
                      >
                        Mark read
                      </Button>
                    )}
                  </Group>
                </Stack>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
