import { Context, log } from "@temporalio/activity";
import { failUpload } from "../db/commands/files/uploads";
import { findStaleUploads } from "../db/commands/housekeeping/uploads";
import type { ActivityDeps } from "./deps";
import { type BatchResult, tallyOf } from "./housekeeping-batch";

export interface StaleUploadsProps {
  dryRun: boolean;
  /** Uploads with no heartbeat since this moment (ISO) are stale. */
  idleSince: string;
  after: string | null;
  limit: number;
}

/**
 * One batch of stale uploads closed as failed with reason "stale": multipart upload aborted,
 * reservation released, upload_event and audit entry written — by failUpload, which releases bytes
 * only in the transition and skips an upload that got a heartbeat meanwhile.
 */
export function abortStaleUploadsActivity(deps: ActivityDeps) {
  return async function abortStaleUploads(props: StaleUploadsProps): Promise<BatchResult<string>> {
    const context = Context.current();
    const idleSince = new Date(props.idleSince);
    const uploads = await findStaleUploads(deps.db, { idleSince, after: props.after, limit: props.limit });
    const aborted: { name: string; bytes: number }[] = [];
    for (const upload of uploads) {
      context.heartbeat(upload.id);
      const closed =
        props.dryRun ||
        (await failUpload({
          db: deps.db,
          storage: deps.storage,
          fileId: upload.id,
          reason: "stale",
          actorId: null,
          idleSince,
        }));
      if (closed) aborted.push({ name: upload.id, bytes: upload.sizeBytes });
    }
    if (!props.dryRun && aborted.length) {
      deps.metrics.housekeeping.staleUploadsAborted.inc(aborted.length);
      log.info("stale uploads aborted", { count: aborted.length });
    }
    const last = uploads[uploads.length - 1];
    return { tally: tallyOf(aborted), next: uploads.length === props.limit && last ? last.id : null };
  };
}
