import type { UploadRow, UploadState } from "../../uploads";

/** Lower comes first: what moves, then what needs the user, then what waits, then what is over. */
const rank: Record<UploadState, number> = {
  initiating: 0,
  uploading: 0,
  completing: 0,
  waiting_for_file: 1,
  error: 1,
  refused: 1,
  paused: 2,
  processing: 3,
  queued: 4,
  quarantined: 5,
  rejected: 5,
  failed: 5,
  ready: 6,
  cancelled: 6,
};

/** The `limit` most relevant rows, in the engine's order within each rank, and how many are left out. */
export function visibleRows(rows: readonly UploadRow[], limit: number): { shown: UploadRow[]; hidden: number } {
  const buckets: UploadRow[][] = [];
  for (const row of rows) (buckets[rank[row.state]] ??= []).push(row);
  const shown: UploadRow[] = [];
  for (const bucket of buckets) {
    if (!bucket) continue;
    for (const row of bucket) {
      if (shown.length === limit) return { shown, hidden: rows.length - limit };
      shown.push(row);
    }
  }
  return { shown, hidden: 0 };
}
