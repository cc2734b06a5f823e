import { Context, log } from "@temporalio/activity";
import { deleteShareBatch } from "../db/commands/shares/cleanup";
import type { ShareCleanupInput, ShareCleanupKind } from "../lib/share-cleanup";
import type { ActivityDeps } from "./deps";

/** How long one activity call keeps deleting before it hands back to the workflow. */
const CALL_BUDGET_MS = 20_000;

export interface PurgeProgress {
  deleted: number;
  /** True once a batch came back short: nothing of this kind is due any more. */
  done: boolean;
}

/**
 * Deletes due rows of one kind batch after batch (one statement each, nothing held in memory)
 * for up to CALL_BUDGET_MS, heartbeating after every batch, so the workflow's history stays short
 * however many rows there are and a stopped worker loses at most one batch of work.
 */
export function purgeSharesActivity(deps: ActivityDeps) {
  return async function purgeShares(kind: ShareCleanupKind, policy: ShareCleanupInput): Promise<PurgeProgress> {
    const context = Context.current();
    const started = Date.now();
    let deleted = 0;
    for (;;) {
      const batch = await deleteShareBatch(deps.db, kind, policy);
      deleted += batch;
      context.heartbeat({ kind, deleted });
      if (batch < policy.batchSize) {
        if (deleted > 0) log.info("share cleanup batch done", { kind, deleted });
        return { deleted, done: true };
      }
      if (Date.now() - started >= CALL_BUDGET_MS || context.cancellationSignal.aborted) return { deleted, done: false };
    }
  };
}
