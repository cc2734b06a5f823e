import type { Knex } from "knex";
import { QUOTA_STATUSES } from "../../../lib/file-status";
import { User } from "../../models";

/**
 * Moves a user's byte counters by the given deltas in one UPDATE, inside the transaction that made
 * the file's status change: the status change is the guard that makes each move happen once.
 */
export async function shiftBytes(
  trx: Knex.Transaction,
  userId: string,
  deltas: { used?: number; reserved?: number },
): Promise<void> {
  const patch: Record<string, unknown> = {};
  if (deltas.used) patch.usedBytes = trx.raw("used_bytes + ?", [deltas.used]);
  if (deltas.reserved) patch.reservedBytes = trx.raw("reserved_bytes + ?", [deltas.reserved]);
  if (Object.keys(patch).length === 0) return;
  await User.query(trx)
    .patch(patch as Partial<User>)
    .where("id", userId);
}

/**
 * Releases an upload's reservation when the upload ends without its bytes being used. The counter
 * stops at 0: a reservation that drifted below the upload's size (the invariant checker reports such
 * drift) must not make the release fail, or upload housekeeping would retry that upload forever.
 */
export async function releaseReservation(trx: Knex.Transaction, userId: string, bytes: number): Promise<void> {
  const patch: Record<string, unknown> = { reservedBytes: trx.raw("greatest(reserved_bytes - ?, 0)", [bytes]) };
  await User.query(trx)
    .patch(patch as Partial<User>)
    .where("id", userId);
}

/** How many files count against the plan's file limit: GET /me's filesCount (QUOTA_STATUSES, trashed ones included). Exact inside a transaction that holds the user's row lock. */
export async function countHeldFiles(db: Knex | Knex.Transaction, userId: string): Promise<number> {
  const row = (await db("files")
    .where({ ownerId: userId })
    .whereIn("status", QUOTA_STATUSES)
    .count({ count: "*" })
    .first()) as { count: string | number };
  return Number(row.count);
}
