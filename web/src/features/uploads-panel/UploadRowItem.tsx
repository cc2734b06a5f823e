import { ActionIcon, Button, Group, Progress, Stack, Text } from "@mantine/core";
import { IconPlayerPause, IconPlayerPlay, IconRefresh, IconX } from "@tabler/icons-react";
import { type ReactNode, memo, useRef, useState } from "react";
import { formatBytes, formatDuration } from "../../lib/format";
import type { UploadRow } from "../../uploads";
import { openUploads, uploadEngine } from "./upload-engine";

const errorColor = "light-dark(var(--mantine-color-red-9), var(--mantine-color-red-4))";

const progressColor: Partial<Record<UploadRow["state"], string>> = {
  paused: "gray",
  waiting_for_file: "gray",
  processing: "yellow",
  ready: "teal",
  quarantined: "red",
  rejected: "gray",
  failed: "gray",
  refused: "red",
  error: "red",
  cancelled: "gray",
};

const sent = (row: UploadRow) => `${formatBytes(row.sentBytes)} of ${formatBytes(row.sizeBytes)}`;

/** The row's state in words; null when the message line says it all. */
function statusText(row: UploadRow): string {
  switch (row.state) {
    case "queued":
      return `Waiting to start · ${formatBytes(row.sizeBytes)}`;
    case "initiating":
      return row.message ?? "Starting…";
    case "uploading": {
      const speed = row.bytesPerSecond > 0 ? ` · ${formatBytes(row.bytesPerSecond)}/s` : "";
      const left = row.secondsLeft === null ? "" : ` · ${formatDuration(row.secondsLeft)} left`;
      return `${sent(row)}${speed}${left}`;
    }
    case "paused":
      return `Paused · ${sent(row)}`;
    case "completing":
      return "Finishing…";
    case "processing":
      return "Scanning for viruses…";
    case "ready":
      return `Ready · ${formatBytes(row.sizeBytes)}`;
    case "quarantined":
      return row.message ? `Threat found: ${row.message}` : "Threat found";
    case "rejected":
      return row.message ? `Rejected: ${row.message}` : "Rejected";
    case "failed":
      return row.message ? `Failed: ${row.message}` : "Failed";
    case "refused":
      return row.message ?? "The server refused this file.";
    case "error":
      return row.message ?? "The upload failed.";
    case "cancelled":
      return "Cancelled";
    case "waiting_for_file":
      return `Pick ${row.name} again to resume · ${sent(row)}`;
  }
}

const isProblem = (row: UploadRow) => ["refused", "error", "quarantined"].includes(row.state);

function percentOf(row: UploadRow): number {
  if (["processing", "ready", "quarantined", "rejected", "failed"].includes(row.state)) return 100;
  if (row.sizeBytes === 0) return 0;
  return Math.min(100, Math.round((row.sentBytes / row.sizeBytes) * 100));
}

function IconAction({ label, onClick, children }: { label: string; onClick: () => void; children: ReactNode }) {
  return (
    <ActionIcon variant="subtle" color="gray" size="md" aria-label={label} title={label} onClick={onClick}>
      {children}
    </ActionIcon>
  );
}

/** A picker for a row restored after a reload: the same file again resumes it. */
function PickAgain({ row, onRefused }: { row: UploadRow; onRefused: (message: string | null) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const pick = (file: File | undefined) => {
    const open = row.fileId ? openUploads.get(row.fileId) : undefined;
    if (!file || !open) return;
    const result = uploadEngine().resumeOpenUpload(open, file);
    onRefused(result.ok ? null : result.message);
  };
  return (
    <>
      <input
        ref={input}
        type="file"
        hidden
        tabIndex={-1}
        aria-hidden
        onChange={(event) => {
          pick(event.currentTarget.files?.[0]);
          event.currentTarget.value = "";
        }}
      />
      <Button
        size="compact-xs"
        variant="light"
        aria-label={`Pick ${row.name} again`}
        onClick={() => input.current?.click()}
      >
        Pick file
      </Button>
    </>
  );
}

/** One file of the panel: name, progress, what it is doing, and what the user can do to it. */
export const UploadRowItem = memo(function UploadRowItem({ row }: { row: UploadRow }) {
  const engine = uploadEngine();
  const [refusal, setRefusal] = useState<string | null>(null);
  const { id, name, state } = row;
  return (
    <Stack component="li" gap={4} py={6} style={{ listStyle: "none" }}>
      <Group gap="xs" wrap="nowrap" justify="space-between">
        <Text size="sm" fw={500} truncate="end" title={name} style={{ minWidth: 0, flex: 1 }}>
          {name}
        </Text>
        <Group gap={2} wrap="nowrap">
          {state === "waiting_for_file" && <PickAgain row={row} onRefused={setRefusal} />}
          {["queued", "initiating", "uploading"].includes(state) && (
            <IconAction label={`Pause ${name}`} onClick={() => engine.pause(id)}>
              <IconPlayerPause size={16} />
            </IconAction>
          )}
          {state === "paused" && (
            <IconAction label={`Resume ${name}`} onClick={() => engine.resume(id)}>
              <IconPlayerPlay size={16} />
            </IconAction>
          )}
          {state === "error" && (
            <IconAction label={`Retry ${name}`} onClick={() => engine.retry(id)}>
              <IconRefresh size={16} />
            </IconAction>
          )}
          {["queued", "initiating", "uploading", "paused", "error", "waiting_for_file"].includes(state) && (
            <IconAction label={`Cancel ${name}`} onClick={() => engine.cancel(id)}>
              <IconX size={16} />
            </IconAction>
          )}
          {["ready", "quarantined", "rejected", "failed", "refused", "cancelled"].includes(state) && (
            <IconAction label={`Remove ${name} from the list`} onClick={() => engine.dismiss(id)}>
              <IconX size={16} />
            </IconAction>
          )}
        </Group>
      </Group>
      <Progress
        value={percentOf(row)}
        size="sm"
        color={progressColor[state] ?? "blue"}
        animated={state === "processing"}
        aria-label={`${name} upload progress`}
      />
      <Text size="xs" c={isProblem(row) ? errorColor : "dimmed"}>
        {statusText(row)}
      </Text>
      {refusal && state === "waiting_for_file" && (
        <Text size="xs" c={errorColor} role="alert">
          {refusal}
        </Text>
      )}
    </Stack>
  );
});
