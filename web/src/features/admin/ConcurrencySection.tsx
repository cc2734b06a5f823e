import { Alert, Button, Group, Loader, Modal, Paper, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import { errorMessage } from "../../lib/api/client";
import { formatBytes, formatDate } from "../../lib/format";
import { type UploadConcurrency, useClearUploadSlots, useUploadConcurrency } from "./queries";

type SlotHolder = UploadConcurrency["users"][number];

/** Who holds upload slots against MAX_CONCURRENT_UPLOADS, with "clear" for a user's stuck ones. */
export function ConcurrencySection() {
  const concurrency = useUploadConcurrency();
  const [clearing, setClearing] = useState<SlotHolder | null>(null);
  return (
    <Stack component="section" aria-labelledby="admin-concurrency" gap="sm">
      <Title order={2} id="admin-concurrency" size="h3">
        Upload concurrency
      </Title>
      {concurrency.error && (
        <Alert color="red" role="alert">
          {errorMessage(concurrency.error)}
        </Alert>
      )}
      {concurrency.isPending && <Loader size="sm" aria-label="Loading upload concurrency" />}
      {concurrency.data && (
        <>
          <Text size="sm" c="dimmed">
            {concurrency.data.openUploads} open {concurrency.data.openUploads === 1 ? "upload" : "uploads"} · at most{" "}
            {concurrency.data.limitPerUser} per user
          </Text>
          {concurrency.data.users.length === 0 && <Text size="sm">Nobody is uploading right now.</Text>}
          <Stack gap="xs" role="list" aria-label="Users with open uploads">
            {concurrency.data.users.map((holder) => (
              <Paper key={holder.userId} withBorder p="sm" radius="md" role="listitem" aria-label={holder.email}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={2} miw={0}>
                    <Text fw={600} size="sm" style={{ wordBreak: "break-all" }}>
                      {holder.email}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {holder.open} of {concurrency.data.limitPerUser} slots · {formatBytes(holder.reservedBytes)}{" "}
                      reserved · oldest heartbeat{" "}
                      {holder.oldestHeartbeatAt ? formatDate(holder.oldestHeartbeatAt) : "none"}
                    </Text>
                  </Stack>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => setClearing(holder)}
                    aria-label={`Clear the uploads of ${holder.email}`}
                    style={{ flexShrink: 0 }}
                  >
                    Clear
                  </Button>
                </Group>
              </Paper>
            ))}
          </Stack>
        </>
      )}
      {clearing && <ClearModal holder={clearing} onClose={() => setClearing(null)} />}
    </Stack>
  );
}

function ClearModal({ holder, onClose }: { holder: SlotHolder; onClose: () => void }) {
  const clear = useClearUploadSlots();
  return (
    <Modal opened onClose={onClose} title="Clear upload slots" closeButtonProps={{ "aria-label": "Close" }}>
      <Stack>
        {clear.error && (
          <Alert color="red" role="alert">
            {errorMessage(clear.error)}
          </Alert>
        )}
        <Text style={{ overflowWrap: "anywhere" }}>
          Abort the {holder.open} open {holder.open === 1 ? "upload" : "uploads"} of {holder.email}? Their parts are
          deleted and {formatBytes(holder.reservedBytes)} of reserved quota is freed. The user has to upload those files
          again.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={clear.isPending}
            onClick={() =>
              clear.mutate(holder.userId, {
                onSuccess: (result) => {
                  notifications.show({
                    color: "green",
                    message: `${result.aborted} ${result.aborted === 1 ? "upload" : "uploads"} aborted, ${formatBytes(result.releasedBytes)} freed.`,
                    closeButtonProps: { "aria-label": "Dismiss" },
                  });
                  onClose();
                },
              })
            }
          >
            Abort uploads
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
