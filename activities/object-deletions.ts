import { Context, log } from "@temporalio/activity";
import { carryOutObjectDeletions, findObjectDeletionIds } from "../db/commands/files/object-deletions";
import type { ActivityDeps } from "./deps";
import { type BatchResult, tallyOf } from "./housekeeping-batch";

export interface ObjectDeletionsProps {
  dryRun: boolean;
  after: number | null;
  limit: number;
}

/**
 * One batch of the object deletions that committed deletes recorded (db/commands/files/object-deletions.ts)
 * and could not finish because S3 was away: each object is removed now and its record forgotten;
 * one that still fails stays for the next run.
 */
export function finishObjectDeletionsActivity(deps: ActivityDeps) {
  return async function finishObjectDeletions(props: ObjectDeletionsProps): Promise<BatchResult<number>> {
    const ids = await findObjectDeletionIds(deps.db, { after: props.after, limit: props.limit });
    Context.current().heartbeat(ids[0]);
    const pending = props.dryRun ? ids.length : await carryOutObjectDeletions(deps.db, deps.storage, ids);
    const finished = props.dryRun ? ids.length : ids.length - pending;
    if (!props.dryRun && ids.length) log.info("recorded object deletions finished", { finished, pending });
    const last = ids[ids.length - 1];
    return {
      tally: tallyOf(ids.slice(0, finished).map((id) => ({ name: String(id), bytes: 0 }))),
      next: ids.length === props.limit && last !== undefined ? last : null,
    };
  };
}
