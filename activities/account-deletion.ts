import { Context, log } from "@temporalio/activity";
import {
  type AccountState,
  accountDeletionState,
  deleteOwnedFileRows,
  deleteOwnedRows,
  deleteUserRow,
  findOwnedFiles,
  ownedTables,
} from "../db/commands/accounts/account-deletion";
import { accountPrefixes, everyKeyOf } from "../lib/object-keys";
import type { UploadsMarker } from "../lib/s3";
import type { ActivityDeps } from "./deps";
import { forEachLimited } from "./housekeeping-batch";

export type OwnedTable = (typeof ownedTables)[number]["table"];
export const OWNED_TABLES: OwnedTable[] = ownedTables.map((owned) => owned.table);

const S3_CONCURRENCY = 8;

/** The AccountDeletion workflow's activities: one page per call, each safe to repeat. */
export function accountDeletionActivities(deps: ActivityDeps) {
  return {
    async accountDeletionState(userId: string): Promise<AccountState> {
      return accountDeletionState(deps.db, userId);
    },

    /**
     * One page of the user's files: their objects (bytes wherever they are, thumbnail, preview) and
     * open multipart uploads go first, then the rows. A crash between the two leaves rows whose
     * objects are gone; the rerun deletes those objects again (a missing key is no error) and then
     * the rows. Returns how many files the page held; 0: none left.
     */
    async deleteAccountFiles({ userId, limit }: { userId: string; limit: number }): Promise<number> {
      const context = Context.current();
      const files = await findOwnedFiles(deps.db, userId, limit);
      await forEachLimited(files, S3_CONCURRENCY, async (file) => {
        context.heartbeat(file.id);
        if (file.uploadId) await deps.storage.abortMultipartUpload(file.s3Key, file.uploadId).catch(ignoreMissing);
        const keys = new Set([file.s3Key, ...everyKeyOf({ ownerId: userId, id: file.id })]);
        if (file.thumbnailKey) keys.add(file.thumbnailKey);
        for (const key of keys) await deps.storage.deleteObject(key);
      });
      await deleteOwnedFileRows(
        deps.db,
        userId,
        files.map((file) => file.id),
      );
      return files.length;
    },

    /** One page of whatever is left under one of the user's prefixes (objects no row named). */
    async deleteAccountObjects({
      userId,
      prefixIndex,
      limit,
    }: {
      userId: string;
      prefixIndex: number;
      limit: number;
    }): Promise<{ deleted: number; more: boolean }> {
      const context = Context.current();
      const prefix = accountPrefixes(userId)[prefixIndex];
      // Deleted as listed, so each page starts again at the prefix: no cursor to lose.
      const page = await deps.storage.listObjectsPage({ prefix, maxKeys: limit });
      await forEachLimited(page.objects, S3_CONCURRENCY, async (object) => {
        context.heartbeat(object.key);
        await deps.storage.deleteObject(object.key);
      });
      return { deleted: page.objects.length, more: page.truncated };
    },

    /**
     * One page of the bucket's open multipart uploads; those under the user's prefix are aborted.
     * (Listing by prefix is not honoured by every S3 server, so the whole list is walked.)
     */
    async abortAccountUploads({
      userId,
      after,
      limit,
    }: {
      userId: string;
      after: UploadsMarker | null;
      limit: number;
    }): Promise<{ aborted: number; next: UploadsMarker | null }> {
      const context = Context.current();
      const page = await deps.storage.listMultipartUploadsPage({ after: after ?? undefined, maxUploads: limit });
      const mine = page.uploads.filter((upload) => upload.key.startsWith(`${userId}/`));
      for (const upload of mine) {
        context.heartbeat(upload.key);
        await deps.storage.abortMultipartUpload(upload.key, upload.uploadId).catch(ignoreMissing);
      }
      return { aborted: mine.length, next: page.next };
    },

    /** Up to `limit` of the user's rows in one table; returns how many went. */
    async deleteAccountRows({ userId, table, limit }: { userId: string; table: OwnedTable; limit: number }) {
      return deleteOwnedRows(deps.db, { userId, table, limit });
    },

    /** The user row, and the one audit entry that stays. */
    async finishAccountDeletion({
      userId,
      details,
    }: {
      userId: string;
      details: Record<string, unknown>;
    }): Promise<boolean> {
      const deleted = await deleteUserRow(deps.db, { userId, details });
      if (deleted) log.info("account deleted", { userId, ...details });
      return deleted;
    },
  };
}

/** An upload already aborted or completed is what we wanted. */
function ignoreMissing(error: unknown): void {
  const name = (error as { name?: string }).name;
  if (name === "NoSuchUpload" || name === "NoSuchKey") return;
  throw error;
}
