import { Context, log } from "@temporalio/activity";
import {
  deleteEmptyExpiredFolders,
  findExpiredFolders,
  findPurgeCandidates,
  purgeFile,
} from "../db/commands/housekeeping/purge";
import type { PurgeKind, RowCursor, Tally } from "../lib/housekeeping";
import type { ActivityDeps } from "./deps";
import { type BatchResult, tallyOf } from "./housekeeping-batch";

export interface PurgeFilesProps {
  dryRun: boolean;
  kind: PurgeKind;
  /** Files due since before this moment (ISO) are purged. */
  before: string;
  after: RowCursor | null;
  limit: number;
}

export interface PurgeFoldersProps {
  dryRun: boolean;
  before: string;
  after: RowCursor | null;
  limit: number;
}

/**
 * One batch of files past their retention deleted for good through deleteFilePermanently (row,
 * shares revoked, bytes released in the row's own delete, object, thumbnail): a rerun finds only
 * what is left, and a file restored meanwhile is spared.
 */
export function purgeExpiredFilesActivity(deps: ActivityDeps) {
  return async function purgeExpiredFiles(
    props: PurgeFilesProps,
  ): Promise<BatchResult<RowCursor> & { blocked: Tally }> {
    const context = Context.current();
    const before = new Date(props.before);
    const candidates = await findPurgeCandidates(deps.db, {
      kind: props.kind,
      before,
      after: props.after,
      limit: props.limit,
    });
    const purged: { name: string; bytes: number }[] = [];
    const blocked: { name: string; bytes: number }[] = [];
    for (const file of candidates) {
      context.heartbeat(file.id);
      const outcome = props.dryRun
        ? "deleted"
        : await purgeFile(deps.db, deps.storage, { kind: props.kind, before, fileId: file.id });
      if (outcome === "deleted") purged.push({ name: file.id, bytes: file.sizeBytes });
      if (outcome === "counter_drift") blocked.push({ name: file.id, bytes: file.sizeBytes });
    }
    if (!props.dryRun && purged.length) {
      deps.metrics.housekeeping.filesPurged.inc({ reason: props.kind }, purged.length);
      log.info("expired files purged", { kind: props.kind, count: purged.length });
    }
    if (blocked.length)
      log.warn("files kept until their owners' used_bytes is reconciled", {
        kind: props.kind,
        fileIds: blocked.map((b) => b.name),
      });
    const last = candidates[candidates.length - 1];
    return {
      tally: tallyOf(purged),
      blocked: tallyOf(blocked),
      next: candidates.length === props.limit && last ? { at: last.cursorAt, id: last.id } : null,
    };
  };
}

/** One batch of trashed folders past retention: the empty ones are deleted (a dry run counts them all). */
export function purgeExpiredFoldersActivity(deps: ActivityDeps) {
  return async function purgeExpiredFolders(props: PurgeFoldersProps): Promise<BatchResult<RowCursor>> {
    const before = new Date(props.before);
    const folders = await findExpiredFolders(deps.db, { before, after: props.after, limit: props.limit });
    Context.current().heartbeat(folders.length);
    const folderIds = folders.map((folder) => folder.id);
    const deleted = props.dryRun ? folderIds : await deleteEmptyExpiredFolders(deps.db, { folderIds, before });
    if (!props.dryRun && deleted.length) deps.metrics.housekeeping.foldersPurged.inc(deleted.length);
    const last = folders[folders.length - 1];
    return {
      tally: tallyOf(deleted.map((id) => ({ name: id, bytes: 0 }))),
      next: folders.length === props.limit && last ? { at: last.cursorAt, id: last.id } : null,
    };
  };
}
