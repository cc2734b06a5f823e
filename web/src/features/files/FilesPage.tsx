import {
  Alert,
  Anchor,
  Box,
  Breadcrumbs,
  Button,
  Checkbox,
  Group,
  Loader,
  Menu,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowsMove, IconChevronDown, IconFolderPlus, IconTrash, IconUpload, IconX } from "@tabler/icons-react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { errorMessage } from "../../lib/api/client";
import { meKeys } from "../../lib/api/query-keys";
import {
  UPLOAD_FINISHED_EVENT,
  UPLOAD_PROGRESS_EVENT,
  type UploadProgressDetail,
  requestUpload,
} from "../../lib/upload-events";
import { type DraggedEntry, carriesFiles, entryDropTarget } from "./drag";
import { type EntryAction, EntryRow } from "./EntryRow";
import { fileKeys } from "./file-keys";
import { MoveModal } from "./MoveModal";
import { NameModal } from "./NameModal";
import {
  type Crumb,
  type Entry,
  type Listing,
  downloadFile,
  fetchListing,
  isSettling,
  restoreEntry,
  useCreateFolder,
  useTrashEntry,
  useUpdateEntry,
} from "./queries";
import { type Selection, emptySelection, moveCursor, selectRange, toggle, within } from "../../lib/selection/selection";

type Dialog = { kind: "new-folder" } | { kind: "rename"; entry: Entry } | { kind: "move"; entries: Entry[] } | null;

const keyOf = (entry: Entry) => `${entry.kind}:${entry.item.id}`;

/** The file browser: `/` (the root) and `/f/:folderId`. */
export default function FilesPage() {
  const folderId = useParams().folderId ?? null;
  const navigate = useNavigate();
  const client = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const [cursor, setCursor] = useState<string | null>(null);
  const table = useRef<HTMLTableElement>(null);
  const listing = useQuery({
    queryKey: fileKeys.folder(folderId),
    queryFn: () => fetchListing(folderId),
    // Badges of files on their way to ready change without a reload.
    refetchInterval: (query) => (isSettling(query.state.data) ? 2000 : false),
  });
  const progress = useUploadProgress();
  const announcement = useStatusAnnouncements(listing.data);
  const update = useUpdateEntry(folderId);
  const trash = useTrashEntry(folderId);
  const createFolder = useCreateFolder(folderId);

  useEffect(() => {
    const refresh = () => {
      void client.invalidateQueries({ queryKey: fileKeys.listings() });
      void client.invalidateQueries({ queryKey: meKeys.me() });
    };
    window.addEventListener(UPLOAD_FINISHED_EVENT, refresh);
    return () => window.removeEventListener(UPLOAD_FINISHED_EVENT, refresh);
  }, [client]);

  const moveTo = async (moving: Entry[], targetId: string | null) => {
    for (const entry of moving) await update.mutateAsync({ entry, targetId });
    notifications.show({
      message: moving.length === 1 ? `Moved “${moving[0].item.name}”.` : `Moved ${moving.length} items.`,
    });
  };

  const onDropEntry = ({ kind, id }: DraggedEntry, targetId: string | null) => {
    const entry = findEntry(listing.data, kind, id);
    if (!entry || targetId === folderId) return;
    moveTo([entry], targetId).catch((e: unknown) =>
      notifications.show({ color: "red", title: "Could not move", message: errorMessage(e) }),
    );
  };

  const moveToTrash = async (trashed: Entry[]) => {
    const done: Entry[] = [];
    try {
      for (const entry of trashed) {
        await trash.mutateAsync(entry);
        done.push(entry);
      }
    } catch (e) {
      notifications.show({ color: "red", title: "Could not move to the trash", message: errorMessage(e) });
    }
    if (done.length === 0) return;
    const id = `trashed-${done[0].item.id}`;
    const what = done.length === 1 ? `“${done[0].item.name}”` : `${done.length} items`;
    notifications.show({
      id,
      autoClose: 8000,
      message: (
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm">Moved {what} to the trash.</Text>
          <Button
            size="compact-sm"
            variant="subtle"
            onClick={() => {
              notifications.hide(id);
              Promise.all(done.map((entry) => restoreEntry(entry.kind, entry.item.id)))
                .catch((e: unknown) =>
                  notifications.show({ color: "red", title: "Could not restore", message: errorMessage(e) }),
                )
                .finally(() => {
                  void client.invalidateQueries({ queryKey: fileKeys.listings() });
                  void client.invalidateQueries({ queryKey: fileKeys.trash() });
                });
            }}
          >
            Undo
          </Button>
        </Group>
      ),
    });
  };

  const onAction = (action: EntryAction, entry: Entry) => {
    switch (action) {
      case "open":
        void navigate(`/f/${entry.item.id}`);
        break;
      case "download":
        downloadFile(entry.item.id).catch((e: unknown) =>
          notifications.show({ color: "red", title: "Could not download", message: errorMessage(e) }),
        );
        break;
      case "share":
        void navigate(
          entry.kind === "folder" ? `/shares?folderId=${entry.item.id}` : `/shares?fileId=${entry.item.id}`,
        );
        break;
      case "rename":
        setDialog({ kind: "rename", entry });
        break;
      case "move":
        setDialog({ kind: "move", entries: [entry] });
        break;
      case "trash":
        void moveToTrash([entry]);
        break;
    }
  };

  const entries: Entry[] = [
    ...(listing.data?.folders ?? []).map((item) => ({ kind: "folder" as const, item })),
    ...(listing.data?.files ?? []).map((item) => ({ kind: "file" as const, item })),
  ];
  const title = listing.data?.folder?.name ?? "My files";
  const order = useMemo(() => entries.map(keyOf), [entries]);
  const current = within(selection, order);
  const picked = entries.filter((entry) => current.keys.has(keyOf(entry)));

  // A new folder starts with nothing selected.
  useEffect(() => {
    setSelection(emptySelection);
    setCursor(null);
  }, [folderId]);

  const select = (rowKey: string, range: boolean) => {
    setSelection((old) =>
      range ? selectRange(within(old, order), order, rowKey) : toggle(within(old, order), rowKey),
    );
    setCursor(rowKey);
  };

  const focusRow = (rowKey: string | null) => {
    setCursor(rowKey);
    if (rowKey) table.current?.querySelector<HTMLElement>(`[data-row-key="${rowKey}"]`)?.focus();
  };

  /** Arrows move, Space selects, Enter opens, F2 renames, Delete trashes (the selection, else the row). */
  const onListingKey = (event: React.KeyboardEvent) => {
    if (event.target !== event.currentTarget && !(event.target as HTMLElement).dataset.rowKey) return;
    // The focused row is the keyboard's row, however it got focus (Tab, a click, the arrows).
    const focused = (event.target as HTMLElement).dataset.rowKey ?? cursor;
    const at = focused !== null && order.includes(focused) ? focused : null;
    const entry = entries.find((e) => keyOf(e) === at);
    const handled = () => event.preventDefault();
    switch (event.key) {
      case "ArrowDown":
      case "ArrowUp":
        handled();
        focusRow(moveCursor(order, at, event.key === "ArrowDown" ? 1 : -1));
        break;
      case " ":
        if (!at) return;
        handled();
        select(at, event.shiftKey);
        break;
      case "Enter":
        if (!entry) return;
        handled();
        onAction(entry.kind === "folder" ? "open" : "download", entry);
        break;
      case "F2":
        if (!entry) return;
        handled();
        onAction("rename", entry);
        break;
      case "Delete":
        if (picked.length === 0 && !entry) return;
        handled();
        void moveToTrash(picked.length ? picked : [entry!]);
        setSelection(emptySelection);
        break;
      case "Escape":
        setSelection(emptySelection);
        break;
    }
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Crumbs path={listing.data?.path ?? []} onDropEntry={onDropEntry} />
          <Title order={1} size="h2" style={{ wordBreak: "break-word" }}>
            {title}
          </Title>
        </Stack>
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconFolderPlus size={18} />}
            onClick={() => setDialog({ kind: "new-folder" })}
          >
            New folder
          </Button>
          <UploadMenu folderId={folderId} />
        </Group>
      </Group>
      <VisuallyHidden role="status" aria-live="polite">
        {announcement}
      </VisuallyHidden>
      {picked.length > 0 && (
        <Group gap="xs" role="toolbar" aria-label="Selected items">
          <Text size="sm" fw={500} mr="xs">
            {picked.length} selected
          </Text>
          <Button
            size="compact-sm"
            variant="default"
            leftSection={<IconArrowsMove size={16} />}
            onClick={() => setDialog({ kind: "move", entries: picked })}
          >
            Move
          </Button>
          <Button
            size="compact-sm"
            variant="default"
            color="red"
            leftSection={<IconTrash size={16} />}
            onClick={() => {
              void moveToTrash(picked);
              setSelection(emptySelection);
            }}
          >
            Move to trash
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            leftSection={<IconX size={16} />}
            onClick={() => setSelection(emptySelection)}
          >
            Clear selection
          </Button>
        </Group>
      )}
      <DropArea folderId={folderId}>
        {listing.isPending ? (
          <Loader aria-label="Loading files" />
        ) : listing.isError ? (
          <Alert color="red" role="alert" title="Could not load this folder">
            {errorMessage(listing.error)}{" "}
            <Anchor component={Link} to="/">
              Go to My files
            </Anchor>
          </Alert>
        ) : entries.length === 0 ? (
          <Text c="dimmed" ta="center" py="xl">
            This folder is empty. Drop files here or use Upload.
          </Text>
        ) : (
          <Table
            ref={table}
            verticalSpacing="xs"
            highlightOnHover
            aria-label={`Contents of ${title}`}
            onKeyDown={onListingKey}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={40}>
                  <Checkbox
                    aria-label="Select all"
                    checked={picked.length === entries.length}
                    indeterminate={picked.length > 0 && picked.length < entries.length}
                    onChange={() =>
                      setSelection(
                        picked.length === entries.length ? emptySelection : { keys: new Set(order), anchor: null },
                      )
                    }
                  />
                </Table.Th>
                <Table.Th>Name</Table.Th>
                <Table.Th visibleFrom="sm">Size</Table.Th>
                <Table.Th visibleFrom="sm">Modified</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry, index) => (
                <EntryRow
                  key={entry.item.id}
                  entry={entry}
                  rowKey={keyOf(entry)}
                  selected={current.keys.has(keyOf(entry))}
                  current={cursor === null ? index === 0 : cursor === keyOf(entry)}
                  onSelect={select}
                  percent={progress[entry.item.id]}
                  onAction={onAction}
                  onDropEntry={onDropEntry}
                />
              ))}
            </Table.Tbody>
          </Table>
        )}
      </DropArea>
      {dialog?.kind === "new-folder" && (
        <NameModal
          title="New folder"
          label="Folder name"
          submitLabel="Create"
          onSubmit={(name) => createFolder.mutateAsync(name)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "rename" && (
        <NameModal
          title={`Rename “${dialog.entry.item.name}”`}
          label="New name"
          submitLabel="Rename"
          initialName={dialog.entry.item.name}
          onSubmit={(name) =>
            name === dialog.entry.item.name ? Promise.resolve() : update.mutateAsync({ entry: dialog.entry, name })
          }
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "move" && (
        <MoveModal
          entries={dialog.entries}
          fromFolderId={folderId}
          onMove={(targetId) => moveTo(dialog.entries, targetId).then(() => setSelection(emptySelection))}
          onClose={() => setDialog(null)}
        />
      )}
    </Stack>
  );
}

function findEntry(listing: Listing | undefined, kind: Entry["kind"], id: string): Entry | null {
  if (kind === "folder") {
    const item = listing?.folders.find((f) => f.id === id);
    return item ? { kind, item } : null;
  }
  const item = listing?.files.find((f) => f.id === id);
  return item ? { kind, item } : null;
}

/** "My files › A › B": each crumb but the current folder takes dropped rows. */
function Crumbs({
  path,
  onDropEntry,
}: {
  path: Crumb[];
  onDropEntry: (dragged: DraggedEntry, folderId: string | null) => void;
}) {
  const ancestors: Crumb[] = [{ id: "", name: "My files" }, ...path.slice(0, -1)];
  if (path.length === 0) return null;
  return (
    <nav aria-label="Breadcrumbs">
      <Breadcrumbs separatorMargin={4} style={{ flexWrap: "wrap" }}>
        {ancestors.map((crumb) => (
          <CrumbLink key={crumb.id || "root"} crumb={crumb} onDropEntry={onDropEntry} />
        ))}
      </Breadcrumbs>
    </nav>
  );
}

function CrumbLink({
  crumb,
  onDropEntry,
}: {
  crumb: Crumb;
  onDropEntry: (dragged: DraggedEntry, folderId: string | null) => void;
}) {
  const [over, setOver] = useState(false);
  const folderId = crumb.id || null;
  return (
    <Anchor
      component={Link}
      to={folderId ? `/f/${folderId}` : "/"}
      size="sm"
      px={4}
      bg={over ? "var(--mantine-primary-color-light)" : undefined}
      {...entryDropTarget(folderId, onDropEntry, setOver)}
    >
      {crumb.name}
    </Anchor>
  );
}

/** "Upload" with a choice of files or a whole folder; the upload panel takes it from there. */
function UploadMenu({ folderId }: { folderId: string | null }) {
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const picked = (event: React.ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.currentTarget.files ?? [])];
    event.currentTarget.value = "";
    if (files.length) requestUpload({ files, folderId });
  };
  return (
    <>
      <Menu position="bottom-end">
        <Menu.Target>
          <Button leftSection={<IconUpload size={18} />} rightSection={<IconChevronDown size={16} />}>
            Upload
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => filesInput.current?.click()}>Upload files</Menu.Item>
          <Menu.Item onClick={() => folderInput.current?.click()}>Upload folder</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <input ref={filesInput} type="file" multiple hidden aria-label="Upload files" onChange={picked} />
      <input
        ref={folderInput}
        type="file"
        multiple
        hidden
        aria-label="Upload folder"
        onChange={picked}
        {...({ webkitdirectory: "" } as Record<string, string>)}
      />
    </>
  );
}

/** Files dropped from the desktop onto the listing go to the upload panel. */
function DropArea({ folderId, children }: { folderId: string | null; children: React.ReactNode }) {
  const [over, setOver] = useState(false);
  return (
    <Box
      mih={200}
      pos="relative"
      onDragOver={(e) => {
        if (!carriesFiles(e)) return;
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(e) => {
        setOver(false);
        if (!carriesFiles(e)) return;
        e.preventDefault();
        const files = [...e.dataTransfer.files];
        if (files.length) requestUpload({ files, folderId });
      }}
      style={{
        outline: over ? "2px dashed var(--mantine-primary-color-filled)" : undefined,
        outlineOffset: 4,
        borderRadius: "var(--mantine-radius-md)",
      }}
    >
      {children}
      {over && (
        <Text pos="absolute" bottom={8} left={0} right={0} ta="center" fw={500}>
          Drop to upload here
        </Text>
      )}
    </Box>
  );
}

/** Percent sent per uploading file id, from the upload panel. */
function useUploadProgress(): Record<string, number> {
  const [progress, setProgress] = useState<Record<string, number>>({});
  useEffect(() => {
    const onProgress = (event: Event) => {
      const { fileId, percent } = (event as CustomEvent<UploadProgressDetail>).detail;
      setProgress((old) => ({ ...old, [fileId]: percent }));
    };
    window.addEventListener(UPLOAD_PROGRESS_EVENT, onProgress);
    return () => window.removeEventListener(UPLOAD_PROGRESS_EVENT, onProgress);
  }, []);
  return progress;
}

const statusWords: Record<string, string> = {
  processing: "is being scanned",
  ready: "is ready",
  quarantined: "was quarantined: a threat was found",
  rejected: "was rejected",
  failed: "failed to upload",
};

/** A sentence for screen readers when a file of the listing changes state between refreshes. */
function useStatusAnnouncements(listing: Listing | undefined): string {
  const previous = useRef(new Map<string, string>());
  const [message, setMessage] = useState("");
  useEffect(() => {
    if (!listing) return;
    const changes = listing.files
      .filter((f) => previous.current.has(f.id) && previous.current.get(f.id) !== f.status)
      .map((f) => `${f.name} ${statusWords[f.status] ?? f.status}.`);
    previous.current = new Map(listing.files.map((f) => [f.id, f.status]));
    if (changes.length) setMessage(changes.join(" "));
  }, [listing]);
  return message;
}
