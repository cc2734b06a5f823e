/**
 * The file browser's selection, as pure functions of the listing's row keys in display order: a
 * click toggles one row, a shift-click selects the range from the last clicked row (the anchor), and
 * the keyboard moves a cursor row.
 */
export interface Selection {
  keys: ReadonlySet<string>;
  /** Where the next shift-click range starts. */
  anchor: string | null;
}

export const emptySelection: Selection = { keys: new Set(), anchor: null };

/** Selects or unselects `key`; it becomes the anchor. */
export function toggle(selection: Selection, key: string): Selection {
  const keys = new Set(selection.keys);
  if (keys.has(key)) keys.delete(key);
  else keys.add(key);
  return { keys, anchor: key };
}

/** Adds every row from the anchor to `key` (both included) to the selection; without an anchor, toggles. */
export function selectRange(selection: Selection, order: readonly string[], key: string): Selection {
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  const to = order.indexOf(key);
  if (from < 0 || to < 0) return toggle(selection, key);
  const keys = new Set(selection.keys);
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) keys.add(order[i]);
  return { keys, anchor: selection.anchor };
}

/** Keeps only keys still in the listing (after a move, trash or refresh). */
export function within(selection: Selection, order: readonly string[]): Selection {
  const present = new Set(order);
  const keys = new Set([...selection.keys].filter((key) => present.has(key)));
  if (keys.size === selection.keys.size && (selection.anchor === null || present.has(selection.anchor))) {
    return selection;
  }
  return { keys, anchor: selection.anchor !== null && present.has(selection.anchor) ? selection.anchor : null };
}

/** The cursor after an arrow key: one row up or down, clamped; from nowhere, the first or last row. */
export function moveCursor(order: readonly string[], cursor: string | null, step: 1 | -1): string | null {
  if (order.length === 0) return null;
  const at = cursor === null ? -1 : order.indexOf(cursor);
  if (at < 0) return step === 1 ? order[0] : order[order.length - 1];
  return order[Math.max(0, Math.min(order.length - 1, at + step))];
}
