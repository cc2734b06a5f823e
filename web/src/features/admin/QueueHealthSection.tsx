import { Alert, Badge, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { errorMessage } from "../../lib/api/client";
import { formatBytes } from "../../lib/format";
import { useAdminHealth, useUploadQueue } from "./queries";
import { StatCard, formatCount } from "./StatCard";

/** Files waiting, refreshed every 5 s. */
export function QueueSection() {
  const { data, error } = useUploadQueue();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="admin-queue">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} id="admin-queue" size="h3">
            Queue
          </Title>
          <Text size="xs" c="dimmed">
            Refreshed every 5 seconds
          </Text>
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
        {!data && !error && <Loader size="sm" aria-label="Loading the queue" />}
        {data && (
          <SimpleGrid cols={3} spacing="xs">
            <StatCard label="Uploading" value={formatCount(data.pending)} />
            <StatCard
              label="Scanning"
              value={data.scanning === null ? "—" : formatCount(data.scanning)}
              hint={data.scanning === null ? "Temporal did not answer" : undefined}
            />
            <StatCard label="Processing" value={formatCount(data.processing)} />
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}

const checkNames = {
  db: "PostgreSQL",
  redis: "Redis",
  s3: "Storage (S3)",
  clamav: "ClamAV",
  temporal: "Temporal",
} as const;

/** Each dependency up or down, plus what the system holds. */
export function HealthSection() {
  const { data, error } = useAdminHealth();
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="admin-health">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} id="admin-health" size="h3">
            Health
          </Title>
          {data && (
            <Badge color={data.status === "ok" ? "green" : "red"} variant="dot" size="lg">
              {data.status === "ok" ? "All systems up" : "Degraded"}
            </Badge>
          )}
        </Group>
        {error && (
          <Alert color="red" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
        {!data && !error && <Loader size="sm" aria-label="Loading health" />}
        {data && (
          <>
            <Stack gap={6} role="list" aria-label="Checks">
              {(Object.keys(checkNames) as (keyof typeof checkNames)[]).map((key) => (
                <Group key={key} justify="space-between" role="listitem">
                  <Text size="sm">{checkNames[key]}</Text>
                  <Badge color={data.checks[key] === "up" ? "green" : "red"} variant="dot">
                    {data.checks[key]}
                  </Badge>
                </Group>
              ))}
            </Stack>
            <SimpleGrid cols={3} spacing="xs">
              <StatCard label="Users" value={formatCount(data.counts.users)} />
              <StatCard label="Files" value={formatCount(data.counts.files)} />
              <StatCard label="Stored" value={formatBytes(data.counts.totalBytes)} />
            </SimpleGrid>
          </>
        )}
      </Stack>
    </Paper>
  );
}
