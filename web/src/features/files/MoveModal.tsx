import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Group,
  Loader,
  Modal,
  NavLink,
  ScrollArea,
  Stack,
  Text,
} from "@mantine/core";
import { IconFolder } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/api/client";
import { fileKeys } from "./file-keys";
import { type Entry, fetchListing } from "./queries";

interface MoveModalProps {
  entries: Entry[];
  /** Where the items are now. */
  fromFolderId: string | null;
  onMove: (targetId: string | null) => Promise<unknown>;
  onClose: () => void;
}

/** A folder picker: browse from the root down, then "Move here". */
export function MoveModal({ entries, fromFolderId, onMove, onClose }: MoveModalProps) {
  const [at, setAt] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { data, isPending } = useQuery({ queryKey: fileKeys.folder(at), queryFn: () => fetchListing(at) });
  // A folder cannot go into itself (the server refuses its subfolders too).
  const moving = new Set(entries.filter((e) => e.kind === "folder").map((e) => e.item.id));
  const folders = (data?.folders ?? []).filter((f) => !moving.has(f.id));
  const title = entries.length === 1 ? `Move “${entries[0].item.name}”` : `Move ${entries.length} items`;

  const move = async () => {
    setBusy(true);
    setError(null);
    try {
      await onMove(at);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} closeButtonProps={{ "aria-label": "Close" }} title={title}>
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <Text size="sm" fw={500}>
          Move to
        </Text>
        <Breadcrumbs separatorMargin={4} style={{ flexWrap: "wrap" }}>
          <Anchor component="button" type="button" onClick={() => setAt(null)}>
            My files
          </Anchor>
          {data?.path.map((crumb) => (
            <Anchor key={crumb.id} component="button" type="button" onClick={() => setAt(crumb.id)}>
              {crumb.name}
            </Anchor>
          ))}
        </Breadcrumbs>
        <ScrollArea.Autosize mah={280}>
          {isPending ? (
            <Loader size="sm" aria-label="Loading folders" />
          ) : folders.length === 0 ? (
            <Text size="sm" c="dimmed">
              No folders here.
            </Text>
          ) : (
            <nav aria-label="Folders">
              {folders.map((folder) => (
                <NavLink
                  key={folder.id}
                  component="button"
                  label={folder.name}
                  leftSection={<IconFolder size={16} />}
                  onClick={() => setAt(folder.id)}
                />
              ))}
            </nav>
          )}
        </ScrollArea.Autosize>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void move()} loading={busy} disabled={at === fromFolderId || isPending}>
            Move here
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
