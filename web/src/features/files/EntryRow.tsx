import { ActionIcon, Anchor, Checkbox, Group, Menu, Table, Text } from "@mantine/core";
import {
  IconArrowsMove,
  IconDotsVertical,
  IconDownload,
  IconFile,
  IconFolder,
  IconFolderOpen,
  IconInfoCircle,
  IconPencil,
  IconShare,
  IconTrash,
} from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router";
import { formatBytes, formatDate } from "../../lib/format";
import { type DraggedEntry, entryDropTarget, startEntryDrag } from "./drag";
import { type Entry, notReadyReason } from "./queries";
import { StatusBadge } from "./StatusBadge";

export type EntryAction = "open" | "download" | "share" | "rename" | "move" | "trash";

interface EntryRowProps {
  entry: Entry;
  /** The row's key in the listing's selection ("file:<id>" or "folder:<id>"). */
  rowKey: string;
  percent?: number;
  selected: boolean;
  /** The keyboard's row: the one Tab reaches and the arrows move from. */
  current: boolean;
  onSelect: (rowKey: string, range: boolean) => void;
  onAction: (action: EntryAction, entry: Entry) => void;
  onDropEntry: (dragged: DraggedEntry, folderId: string | null) => void;
}

/**
 * One folder or file of the listing: a checkbox to select it (shift-click selects a range), draggable,
 * a folder also takes drops; the menu holds its actions. The listing handles its keys.
 */
export function EntryRow(props: EntryRowProps) {
  const { entry, rowKey, percent, selected, current, onSelect, onAction, onDropEntry } = props;
  const [over, setOver] = useState(false);
  const { item } = entry;
  const size = entry.kind === "file" ? formatBytes(entry.item.sizeBytes) : "—";
  const drop = entry.kind === "folder" ? entryDropTarget(item.id, onDropEntry, setOver) : {};
  return (
    <Table.Tr
      draggable
      onDragStart={(e) => startEntryDrag(e, entry)}
      {...drop}
      data-row-key={rowKey}
      tabIndex={current ? 0 : -1}
      aria-selected={selected}
      bg={over || selected ? "var(--mantine-primary-color-light)" : undefined}
      style={{ outlineOffset: -2 }}
    >
      <Table.Td w={40}>
        <Checkbox
          aria-label={`Select ${item.name}`}
          checked={selected}
          tabIndex={-1}
          onChange={() => undefined}
          onClick={(e) => onSelect(rowKey, e.shiftKey)}
        />
      </Table.Td>
      <Table.Td>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          {entry.kind === "folder" ? <IconFolder size={20} aria-hidden /> : <IconFile size={20} aria-hidden />}
          <div style={{ minWidth: 0 }}>
            <Group gap="xs">
              {entry.kind === "folder" ? (
                <Anchor
                  component={Link}
                  to={`/f/${item.id}`}
                  underline="hover"
                  fw={500}
                  style={{ wordBreak: "break-word" }}
                >
                  {item.name}
                </Anchor>
              ) : (
                <Text size="sm" style={{ wordBreak: "break-word" }}>
                  {item.name}
                </Text>
              )}
              {entry.kind === "file" && <StatusBadge file={entry.item} percent={percent} />}
            </Group>
            <Text size="xs" c="dimmed" hiddenFrom="sm">
              {entry.kind === "file" ? `${size} · ` : ""}
              {formatDate(item.updatedAt)}
            </Text>
          </div>
        </Group>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="sm">{size}</Text>
      </Table.Td>
      <Table.Td visibleFrom="sm">
        <Text size="sm">{formatDate(item.updatedAt)}</Text>
      </Table.Td>
      <Table.Td w={48}>
        <EntryMenu entry={entry} onAction={onAction} />
      </Table.Td>
    </Table.Tr>
  );
}

function EntryMenu({ entry, onAction }: Pick<EntryRowProps, "entry" | "onAction">) {
  const why = entry.kind === "file" ? notReadyReason(entry.item) : null;
  const act = (action: EntryAction) => () => onAction(action, entry);
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${entry.item.name}`}>
          <IconDotsVertical size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown maw={300}>
        {entry.kind === "folder" ? (
          <>
            <Menu.Item leftSection={<IconFolderOpen size={16} />} onClick={act("open")}>
              Open
            </Menu.Item>
            <Menu.Item leftSection={<IconShare size={16} />} onClick={act("share")}>
              Share
            </Menu.Item>
          </>
        ) : (
          <>
            {why && (
              <Menu.Label>
                <Group gap={6} wrap="nowrap" align="flex-start">
                  <IconInfoCircle size={14} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
                  <Text size="xs" c="dimmed">
                    {why}
                  </Text>
                </Group>
              </Menu.Label>
            )}
            <Menu.Item leftSection={<IconDownload size={16} />} onClick={act("download")} disabled={!!why}>
              Download
            </Menu.Item>
            <Menu.Item leftSection={<IconShare size={16} />} onClick={act("share")} disabled={!!why}>
              Share
            </Menu.Item>
          </>
        )}
        <Menu.Item leftSection={<IconPencil size={16} />} onClick={act("rename")}>
          Rename
        </Menu.Item>
        <Menu.Item leftSection={<IconArrowsMove size={16} />} onClick={act("move")}>
          Move
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconTrash size={16} />} color="red" onClick={act("trash")}>
          Move to trash
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
