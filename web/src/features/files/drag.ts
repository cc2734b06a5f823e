import type { DragEvent } from "react";
import type { Entry } from "./queries";

/** The drag payload of a row dragged inside the browser (files from the desktop carry "Files"). */
const ENTRY_TYPE = "application/x-coffer-entry";

export interface DraggedEntry {
  kind: Entry["kind"];
  id: string;
}

export function startEntryDrag(event: DragEvent, entry: Entry) {
  event.dataTransfer.setData(ENTRY_TYPE, JSON.stringify({ kind: entry.kind, id: entry.item.id }));
  event.dataTransfer.setData("text/plain", entry.item.name);
  event.dataTransfer.effectAllowed = "move";
}

export const carriesEntry = (event: DragEvent) => event.dataTransfer.types.includes(ENTRY_TYPE);
export const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes("Files");

export function draggedEntry(event: DragEvent): DraggedEntry | null {
  try {
    return JSON.parse(event.dataTransfer.getData(ENTRY_TYPE)) as DraggedEntry;
  } catch {
    return null;
  }
}

/**
 * Props that make an element a drop target for rows: `onDropEntry` gets the dragged row
 * (never the target folder itself).
 */
export function entryDropTarget(
  folderId: string | null,
  onDropEntry: (dragged: DraggedEntry, folderId: string | null) => void,
  setOver: (over: boolean) => void,
) {
  return {
    onDragOver: (event: DragEvent) => {
      if (!carriesEntry(event)) return;
      event.preventDefault();
      event.stopPropagation();
      event.dataTransfer.dropEffect = "move";
      setOver(true);
    },
    onDragLeave: () => setOver(false),
    onDrop: (event: DragEvent) => {
      setOver(false);
      if (!carriesEntry(event)) return;
      event.preventDefault();
      event.stopPropagation();
      const dragged = draggedEntry(event);
      if (dragged && !(dragged.kind === "folder" && dragged.id === folderId)) onDropEntry(dragged, folderId);
    },
  };
}
