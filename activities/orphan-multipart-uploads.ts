import { Context, log } from "@temporalio/activity";
import { existingUserIds, openUploadIds } from "../db/commands/housekeeping/uploads";
import type { UploadsMarker } from "../lib/s3";
import type { ActivityDeps } from "./deps";
import { type BatchResult, tallyOf } from "./housekeeping-batch";

export interface OrphanUploadsProps {
  dryRun: boolean;
  /** Only uploads initiated before this moment (ISO) are touched: an init in flight is younger. */
  initiatedBefore: string;
  after: UploadsMarker | null;
  limit: number;
}

/** Keys of uploads Coffer makes: `<userId>/<fileId>`. */
const uploadKey = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/[^/]+$/;

/**
 * One page of the bucket's multipart uploads: those old enough, under the prefix of one of our
 * users, and unknown to every open upload row are aborted. Uploads under any other key are left
 * alone: the bucket may hold things that are not ours to judge.
 */
export function abortOrphanMultipartUploadsActivity(deps: ActivityDeps) {
  return async function abortOrphanMultipartUploads(props: OrphanUploadsProps): Promise<BatchResult<UploadsMarker>> {
    const context = Context.current();
    const page = await deps.storage.listMultipartUploadsPage({
      after: props.after ?? undefined,
      maxUploads: props.limit,
    });
    const before = new Date(props.initiatedBefore);
    const old = page.uploads.filter((upload) => upload.initiated < before && uploadKey.test(upload.key));
    const open = await openUploadIds(
      deps.db,
      old.map((upload) => upload.uploadId),
    );
    const users = await existingUserIds(deps.db, [...new Set(old.map((upload) => uploadKey.exec(upload.key)![1]))]);
    const orphans = old.filter((upload) => !open.has(upload.uploadId) && users.has(uploadKey.exec(upload.key)![1]));
    for (const upload of orphans) {
      context.heartbeat(upload.key);
      if (!props.dryRun) await deps.storage.abortMultipartUpload(upload.key, upload.uploadId);
    }
    if (!props.dryRun && orphans.length) {
      deps.metrics.housekeeping.orphanMultipartUploadsAborted.inc(orphans.length);
      log.info("orphan multipart uploads aborted", { count: orphans.length });
    }
    return { tally: tallyOf(orphans.map((upload) => ({ name: upload.key, bytes: 0 }))), next: page.next };
  };
}
