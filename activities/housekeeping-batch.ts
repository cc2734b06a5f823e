import { SAMPLE_SIZE, type Tally } from "../lib/housekeeping";

/** One batch's share of a report, and where the next batch starts (null: this was the last). */
export interface BatchResult<Cursor> {
  tally: Tally;
  next: Cursor | null;
}

/** A tally of these items (ids or keys) and their bytes; only the first few names are kept. */
export function tallyOf(items: { name: string; bytes: number }[]): Tally {
  return {
    count: items.length,
    bytes: items.reduce((sum, item) => sum + item.bytes, 0),
    sample: items.slice(0, SAMPLE_SIZE).map((item) => item.name),
  };
}

/** Runs `work` over the items with at most `concurrency` in flight; rejects on the first failure. */
export async function forEachLimited<T>(
  items: T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
