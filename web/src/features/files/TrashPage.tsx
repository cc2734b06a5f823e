import { Alert, Button, Group, Loader, Modal, Stack, Table, Text, Title, VisuallyHidden } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconFile, IconFolder } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, unwrap } from "../../lib/api/client";
import { formatBytes, formatDate } from "../../lib/format";
import { fileKeys } from "./file-keys";
import { type FileItem, useDeleteForGood, useRestoreEntry } from "./queries";

interface TrashedRow {
  kind: "folder" | "file";
  id: string;
  name: string;
  trashedAt: string | null;
  file?: FileItem;
}

/** `/trash`: what the user trashed; restore, or delete a file for good. */
export default function TrashPage() {
  const trash = useQuery({
    queryKey: fileKeys.trash(),
    queryFn: async () => unwrap(await api.GET("/trash", { params: { query: { limit: 500 } } })),
  });
  const restore = useRestoreEntry();
  const [doomed, setDoomed] = useState<TrashedRow | null>(null);

  const rows: TrashedRow[] = [
    ...(trash.data?.folders ?? []).map((f) => ({
      kind: "folder" as const,
      id: f.id,
      name: f.name,
      trashedAt: f.trashedAt,
    })),
    ...(trash.data?.files ?? []).map((f) => ({
      kind: "file" as const,
      id: f.id,
      name: f.name,
      trashedAt: f.trashedAt,
      file: f,
    })),
  ];

  const restoreRow = (row: TrashedRow) =>
    restore.mutate(
      { kind: row.kind, id: row.id },
      {
        onSuccess: () => notifications.show({ message: `Restored “${row.name}”.` }),
        onError: (e) => notifications.show({ color: "red", title: "Could not restore", message: errorMessage(e) }),
      },
    );

  return (
    <Stack>
      <Title order={1} size="h2">
        Trash
      </Title>
      <Text size="sm" c="dimmed">
        Trashed items still count against your storage until they are deleted for good.
      </Text>
      {trash.isPending ? (
        <Loader aria-label="Loading the trash" />
      ) : trash.isError ? (
        <Alert color="red" role="alert">
          {errorMessage(trash.error)}
        </Alert>
      ) : rows.length === 0 ? (
        <Text c="dimmed" ta="center" py="xl">
          The trash is empty.
        </Text>
      ) : (
        <Table verticalSpacing="xs" aria-label="Trashed items">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th visibleFrom="sm">Size</Table.Th>
              <Table.Th visibleFrom="sm">Trashed</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>
                  <Group gap="sm" wrap="nowrap">
                    {row.kind === "folder" ? (
                      <IconFolder size={20} aria-label="Folder" />
                    ) : (
                      <IconFile size={20} aria-label="File" />
                    )}
                    <div style={{ minWidth: 0 }}>
                      <Text size="sm" style={{ wordBreak: "break-word" }}>
                        {row.name}
                      </Text>
                      <Text size="xs" c="dimmed" hiddenFrom="sm">
                        Trashed {formatDate(row.trashedAt)}
                      </Text>
                    </div>
                  </Group>
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <Text size="sm">{row.file ? formatBytes(row.file.sizeBytes) : "—"}</Text>
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <Text size="sm">{formatDate(row.trashedAt)}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="wrap">
                    {row.file?.status !== "quarantined" && (
                      <Button
                        size="compact-sm"
                        variant="default"
                        onClick={() => restoreRow(row)}
                        aria-label={`Restore ${row.name}`}
                      >
                        Restore
                      </Button>
                    )}
                    {row.kind === "file" && (
                      <Button
                        size="compact-sm"
                        color="red"
                        variant="outline"
                        onClick={() => setDoomed(row)}
                        aria-label={`Delete for good ${row.name}`}
                      >
                        Delete for good
                      </Button>
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {doomed && <DeleteForGoodModal row={doomed} onClose={() => setDoomed(null)} />}
    </Stack>
  );
}

function DeleteForGoodModal({ row, onClose }: { row: TrashedRow; onClose: () => void }) {
  const remove = useDeleteForGood();
  return (
    <Modal opened onClose={onClose} closeButtonProps={{ "aria-label": "Close" }} title="Delete for good?">
      <Stack>
        {remove.isError && (
          <Alert color="red" role="alert">
            {errorMessage(remove.error)}
          </Alert>
        )}
        <Text size="sm">
          “{row.name}” will be deleted for good and its share links stop working. This cannot be undone.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              remove.mutate(row.id, {
                onSuccess: () => {
                  notifications.show({ message: `Deleted “${row.name}” for good.` });
                  onClose();
                },
              })
            }
          >
            Delete for good
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
