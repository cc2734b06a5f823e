import { ActionIcon, Collapse, Group, Paper, ScrollArea, Stack, Text, Tooltip, VisuallyHidden } from "@mantine/core";
import { IconChevronDown, IconChevronUp, IconPlayerPause, IconPlayerPlay, IconX } from "@tabler/icons-react";
import { type ReactNode, useCallback, useMemo, useState } from "react";
import { formatBytes, formatDuration } from "../../lib/format";
import type { FinishedState, UploadRow, UploadTotals } from "../../uploads";
import { UploadRowItem } from "./UploadRowItem";
import { visibleRows } from "./row-order";
import { uploadEngine } from "./upload-engine";
import { useOpenUploads, useScanResults, useUploadRequests, useUploadSnapshot } from "./use-uploads";

/** Rows drawn at once; the rest are counted ("+ N more"), so a thousand files do not freeze the page. */
const MAX_ROWS = 100;

const outcome: Record<FinishedState, string> = {
  ready: "uploaded",
  quarantined: "threat found",
  rejected: "rejected",
  failed: "failed",
};

function summary(totals: UploadTotals): string {
  const parts = [
    `${totals.filesDone} of ${totals.filesTotal} ${totals.filesTotal === 1 ? "file" : "files"}`,
    `${formatBytes(totals.bytesSent)} of ${formatBytes(totals.bytesTotal)}`,
  ];
  if (totals.secondsLeft !== null) parts.push(`${formatDuration(totals.secondsLeft)} left`);
  return parts.join(" · ");
}

function HeaderAction({
  label,
  onClick,
  children,
  expanded,
}: {
  label: string;
  onClick: () => void;
  children: ReactNode;
  expanded?: boolean;
}) {
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" color="gray" aria-label={label} aria-expanded={expanded} onClick={onClick}>
        {children}
      </ActionIcon>
    </Tooltip>
  );
}

/** Drive-style panel docked bottom-right (full width on phones): every upload of this page's life, and its scan result. */
export function UploadsPanel() {
  const engine = uploadEngine();
  const { rows, totals, online } = useUploadSnapshot();
  const [collapsed, setCollapsed] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  useUploadRequests();
  useOpenUploads();
  const onFinished = useCallback(
    (row: UploadRow, status: FinishedState) => setAnnouncement(`${row.name}: ${outcome[status]}.`),
    [],
  );
  useScanResults(rows, onFinished);
  const { shown, hidden } = useMemo(() => visibleRows(rows, MAX_ROWS), [rows]);

  const live = (
    <VisuallyHidden aria-live="polite" role="status">
      {announcement}
    </VisuallyHidden>
  );
  if (rows.length === 0) return <>{live}</>;
  const inProgress = totals.filesActive > 0;
  const allPaused = !inProgress && totals.filesPaused > 0;
  const cancellable =
    inProgress ||
    totals.filesPaused > 0 ||
    rows.some((row) => row.state === "waiting_for_file" || row.state === "error");
  return (
    <>
      {live}
      <Paper
        component="section"
        aria-label="Uploads"
        shadow="lg"
        withBorder
        pos="fixed"
        bottom={0}
        right={{ base: 0, sm: 16 }}
        w={{ base: "100%", sm: 440 }}
        style={{ zIndex: 250, borderBottomLeftRadius: 0, borderBottomRightRadius: 0 }}
      >
        <Group justify="space-between" wrap="nowrap" px="md" py="xs" gap="xs">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Text component="h2" fw={600} size="sm">
              Uploads
            </Text>
            <Text size="xs" c="dimmed">
              {summary(totals)}
            </Text>
            {!online && (
              <Text size="xs" c="dimmed">
                Offline: uploads go on when the connection is back.
              </Text>
            )}
          </Stack>
          <Group gap={2} wrap="nowrap">
            {inProgress && (
              <HeaderAction label="Pause all uploads" onClick={() => engine.pauseAll()}>
                <IconPlayerPause size={18} />
              </HeaderAction>
            )}
            {allPaused && (
              <HeaderAction label="Resume all uploads" onClick={() => engine.resumeAll()}>
                <IconPlayerPlay size={18} />
              </HeaderAction>
            )}
            {cancellable ? (
              <HeaderAction label="Cancel all uploads" onClick={() => engine.cancelAll()}>
                <IconX size={18} />
              </HeaderAction>
            ) : (
              <HeaderAction label="Clear finished uploads" onClick={() => engine.clearFinished()}>
                <IconX size={18} />
              </HeaderAction>
            )}
            <HeaderAction
              label={collapsed ? "Expand uploads" : "Collapse uploads"}
              expanded={!collapsed}
              onClick={() => setCollapsed((c) => !c)}
            >
              {collapsed ? <IconChevronUp size={18} /> : <IconChevronDown size={18} />}
            </HeaderAction>
          </Group>
        </Group>
        <Collapse in={!collapsed}>
          <ScrollArea.Autosize mah="min(360px, 45vh)" type="auto" offsetScrollbars>
            <Stack component="ul" gap={0} px="md" pb="xs" m={0} aria-label="Files being uploaded">
              {shown.map((row) => (
                <UploadRowItem key={row.id} row={row} />
              ))}
            </Stack>
            {hidden > 0 && (
              <Text size="xs" c="dimmed" px="md" pb="xs">
                + {hidden} more
              </Text>
            )}
          </ScrollArea.Autosize>
        </Collapse>
      </Paper>
    </>
  );
}
