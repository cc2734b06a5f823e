import { Alert, Badge, Button, Center, Group, Loader, Paper, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { accountKeys } from "./account-keys";

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A short name for a User-Agent: browser and system when recognisable, else the text itself. */
export function deviceName(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrome\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : null;
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Windows/.test(userAgent)
        ? "Windows"
        : /Mac OS X/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : null;
  return browser && system ? `${browser} on ${system}` : userAgent.slice(0, 80);
}

/** The signed-in sessions: where and when each began, its last use, and a way to end it. */
export function SessionsSection() {
  const queryClient = useQueryClient();
  const sessions = useQuery({
    queryKey: accountKeys.sessions(),
    queryFn: async () => unwrap(await api.GET("/me/sessions")).sessions,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: accountKeys.sessions() });
  const endOne = useMutation({
    mutationFn: async (id: string) => unwrap(await api.DELETE("/me/sessions/{id}", { params: { path: { id } } })),
    onSuccess: async () => {
      notifications.show({
        message: "Session signed out",
        color: "green",
        closeButtonProps: { "aria-label": "Dismiss" },
      });
      await refresh();
    },
  });
  const endOthers = useMutation({
    mutationFn: async () => unwrap(await api.POST("/me/sessions/end-others")),
    onSuccess: async ({ ended }) => {
      notifications.show({
        message: ended === 1 ? "1 other session signed out" : `${ended} other sessions signed out`,
        color: "green",
        closeButtonProps: { "aria-label": "Dismiss" },
      });
      await refresh();
    },
  });
  const list = sessions.data ?? [];
  const others = list.filter((session) => !session.current).length;
  const failure = endOne.error ?? endOthers.error;

  return (
    <Stack component="section" aria-labelledby="sessions-heading" gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3" id="sessions-heading">
          Sessions
        </Title>
        <Button
          variant="outline"
          color="red"
          disabled={others === 0}
          loading={endOthers.isPending}
          onClick={() => endOthers.mutate()}
        >
          Sign out all other sessions
        </Button>
      </Group>
      {sessions.isPending && (
        <Center p="md">
          <Loader aria-label="Loading sessions" />
        </Center>
      )}
      {sessions.isError && (
        <Alert color="red" role="alert">
          {errorMessage(sessions.error)}
        </Alert>
      )}
      {failure && (
        <Alert color="red" role="alert">
          {errorMessage(failure)}
        </Alert>
      )}
      <Stack component="ul" gap="xs" p={0} m={0} style={{ listStyle: "none" }} aria-label="Signed-in sessions">
        {list.map((session) => (
          <Paper component="li" withBorder p="sm" key={session.id}>
            <Group justify="space-between" wrap="wrap" gap="xs">
              <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
                <Group gap="xs">
                  <Text fw={600} style={{ overflowWrap: "anywhere" }}>
                    {deviceName(session.userAgent)}
                  </Text>
                  {session.current && (
                    <Badge variant="light" color="blue">
                      This device
                    </Badge>
                  )}
                </Group>
                <Text size="sm" c="dimmed">
                  {session.ip ?? "Unknown address"} · signed in {when(session.createdAt)} · last active{" "}
                  {when(session.lastUsedAt)}
                </Text>
              </Stack>
              {!session.current && (
                <Button
                  variant="default"
                  size="xs"
                  loading={endOne.isPending && endOne.variables === session.id}
                  onClick={() => endOne.mutate(session.id)}
                  aria-label={`Sign out ${deviceName(session.userAgent)}, signed in ${when(session.createdAt)}`}
                >
                  Sign out
                </Button>
              )}
            </Group>
          </Paper>
        ))}
      </Stack>
    </Stack>
  );
}
