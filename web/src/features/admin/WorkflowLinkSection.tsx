import { Button, Group, Paper, Stack, Text, TextInput, Title } from "@mantine/core";
import { useState } from "react";
import { type AdminSettings, workflowUrl } from "./queries";

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A file's FileLifecycle workflow (`file-lifecycle-<fileId>`) in the Temporal Web UI, in a new tab. */
export function WorkflowLinkSection({ settings }: { settings: AdminSettings }) {
  const [fileId, setFileId] = useState("");
  const id = fileId.trim();
  const valid = uuid.test(id);
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="admin-workflow">
      <Stack gap="sm">
        <Title order={2} id="admin-workflow" size="h3">
          Open a file&apos;s workflow
        </Title>
        <Text size="sm" c="dimmed">
          Each file&apos;s upload, scan and thumbnail run as a FileLifecycle workflow in Temporal (
          {settings.temporalUiUrl}, namespace {settings.temporalNamespace}).
        </Text>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="File id"
            placeholder="00000000-0000-0000-0000-000000000000"
            value={fileId}
            onChange={(e) => setFileId(e.currentTarget.value)}
            error={id && !valid ? "A file id is a UUID." : undefined}
            style={{ flex: "1 1 260px" }}
          />
          {valid ? (
            <Button
              component="a"
              href={workflowUrl(settings, `file-lifecycle-${id.toLowerCase()}`)}
              target="_blank"
              rel="noreferrer"
            >
              Open workflow
            </Button>
          ) : (
            <Button disabled>Open workflow</Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
