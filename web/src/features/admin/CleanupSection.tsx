import { Alert, Anchor, Button, Group, Modal, Paper, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { errorMessage } from "../../lib/api/client";
import { formatBytes } from "../../lib/format";
import { type AdminSettings, type CleanupResult, useCleanup, workflowUrl } from "./queries";
import { StatCard, formatCount } from "./StatCard";

const tallies = [
  ["staleUploads", "Stale uploads"],
  ["orphanMultipartUploads", "Orphan multipart uploads"],
  ["restartedLifecycles", "Restarted lifecycles"],
] as const;

function Report({ result, settings }: { result: CleanupResult; settings: AdminSettings }) {
  const run = (
    <Anchor href={workflowUrl(settings, result.workflowId)} target="_blank" rel="noreferrer">
      its workflow
    </Anchor>
  );
  if (!result.report) {
    return (
      <Text size="sm">
        The {result.dryRun ? "dry run" : "cleanup"} is still running; see {run} in Temporal.
      </Text>
    );
  }
  const { report } = result;
  return (
    <Stack gap="xs">
      <Text size="sm">
        {result.dryRun ? "A cleanup now would do this (nothing was changed):" : "Cleanup done:"} see {run} in Temporal.
      </Text>
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="xs">
        {tallies.map(([key, label]) => (
          <StatCard
            key={key}
            label={label}
            value={formatCount(report[key].count)}
            hint={formatBytes(report[key].bytes)}
          />
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/** Upload housekeeping on demand: a dry run first, then the real run after a confirmation. */
export function CleanupSection({ settings }: { settings: AdminSettings }) {
  const cleanup = useCleanup();
  const [confirming, { open, close }] = useDisclosure();
  const runForReal = () => {
    close();
    cleanup.mutate(false);
  };
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="admin-cleanup">
      <Stack gap="sm">
        <Title order={2} id="admin-cleanup" size="h3">
          Cleanup
        </Title>
        <Text size="sm" c="dimmed">
          Aborts stale uploads (freeing their reservations), removes multipart uploads no file knows, and restarts file
          lifecycles that stopped.
        </Text>
        <Group>
          <Button
            variant="default"
            onClick={() => cleanup.mutate(true)}
            loading={cleanup.isPending && cleanup.variables}
          >
            Preview cleanup
          </Button>
          <Button color="red" onClick={open} loading={cleanup.isPending && !cleanup.variables}>
            Run cleanup
          </Button>
        </Group>
        <div aria-live="polite">
          {cleanup.error && (
            <Alert color="red" role="alert">
              {errorMessage(cleanup.error)}
            </Alert>
          )}
          {cleanup.data && !cleanup.isPending && <Report result={cleanup.data} settings={settings} />}
        </div>
      </Stack>
      <Modal opened={confirming} onClose={close} title="Run cleanup now?">
        <Stack>
          <Text size="sm">Stale uploads are aborted and orphan multipart uploads deleted. This cannot be undone.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" onClick={runForReal}>
              Run cleanup
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
