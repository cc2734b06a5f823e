import type { Knex } from "knex";
import { notFound } from "../../../lib/domain-errors";
import { isShareToken } from "../../../lib/share-rules";
import { File, Share, User } from "../../models";

/** The user's share; another user's share is "not found". */
export async function findOwnedShare(db: Knex | Knex.Transaction, ownerId: string, shareId: string): Promise<Share> {
  const share = await Share.query(db).findOne({ id: shareId, ownerId });
  if (!share) throw notFound("share");
  return share;
}

export interface SharedFile {
  share: Share;
  /** Null once the file was deleted for good. */
  file: File | null;
}

/** The share a public link names, with its file; undefined for a token no share has (or any malformed one). */
export async function findShareByToken(db: Knex, token: string): Promise<SharedFile | undefined> {
  if (!isShareToken(token)) return undefined;
  const share = await Share.query(db).findOne({ token });
  if (!share) return undefined;
  const file = share.fileId ? ((await File.query(db).findById(share.fileId)) ?? null) : null;
  return { share, file };
}

/**
 * Whether a link's owner may still share: not disabled (an account being deleted is disabled too).
 * A disabled owner's links answer as if their file were unavailable, until the account is enabled.
 */
export async function isShareOwnerActive(db: Knex, ownerId: string): Promise<boolean> {
  const owner = await User.query(db).findById(ownerId).select("disabledAt");
  return owner !== undefined && !owner.disabledAt;
}

/** The files of some shares, by id (deleted files are simply absent). */
export async function filesOfShares(db: Knex, shares: Share[]): Promise<Map<string, File>> {
  const ids = [...new Set(shares.map((s) => s.fileId).filter((id): id is string => id !== null))];
  const files = ids.length ? await File.query(db).findByIds(ids) : [];
  return new Map(files.map((file) => [file.id, file]));
}

export interface ShareListCursor {
  /** created_at of the last share of the page in microseconds since 1970 (JS dates would drop the microseconds). */
  us: number;
  id: string;
}

export interface ListSharesProps {
  db: Knex;
  ownerId: string;
  limit: number;
  after?: ShareListCursor;
  /** Only the shares of this file. */
  fileId?: string;
}

/** One page of the user's shares, newest first; `nextCursor` is set when there is more. */
export async function listShares({ db, ownerId, limit, after, fileId }: ListSharesProps) {
  const query = Share.query(db)
    .where({ ownerId })
    .orderBy([
      { column: "createdAt", order: "desc" },
      { column: "id", order: "desc" },
    ])
    .limit(limit + 1);
  if (fileId) query.where({ fileId });
  if (after)
    query.whereRaw("(created_at, id) < (timestamptz 'epoch' + ?::bigint * interval '1 microsecond', ?::uuid)", [
      after.us,
      after.id,
    ]);
  const rows = await query;
  const shares = rows.slice(0, limit);
  const last = shares[shares.length - 1];
  let nextCursor: ShareListCursor | null = null;
  if (rows.length > limit && last) {
    const { rows: exact } = await db.raw<{ rows: { us: number }[] }>(
      "SELECT (extract(epoch FROM created_at) * 1000000)::bigint AS us FROM shares WHERE id = ?",
      [last.id],
    );
    nextCursor = { us: exact[0]?.us ?? last.createdAt!.getTime() * 1000, id: last.id };
  }
  return { shares, nextCursor };
}
