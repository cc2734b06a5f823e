import { continueAsNew, log, proxyActivities, workflowInfo } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { ShareCleanupInput, ShareCleanupKind, ShareCleanupResult } from "../lib/share-cleanup";

const kinds: ShareCleanupKind[] = ["expired", "consumed", "revoked", "passwordGuesses"];

/**
 * Hourly (schedule "share-cleanup"): deletes expired and consumed shares, revoked ones past their
 * retention and spent password-guess counters, in batches. Safe to stop and run again: every batch
 * is its own statement, and a rerun simply finds fewer rows.
 */
export async function shareCleanup(
  input: ShareCleanupInput,
  carried?: ShareCleanupResult,
): Promise<ShareCleanupResult> {
  const { purgeShares } = proxyActivities<Activities>({
    startToCloseTimeout: "5 minutes",
    heartbeatTimeout: "1 minute",
    retry: { initialInterval: "1 second", maximumInterval: "1 minute", maximumAttempts: 10 },
  });
  const totals: ShareCleanupResult = carried ?? { expired: 0, consumed: 0, revoked: 0, passwordGuesses: 0 };
  for (const kind of kinds) {
    for (;;) {
      const { deleted, done } = await purgeShares(kind, input);
      totals[kind] += deleted;
      if (done) break;
      if (workflowInfo().continueAsNewSuggested) await continueAsNew<typeof shareCleanup>(input, totals);
    }
  }
  log.info("share cleanup finished", { ...totals });
  return totals;
}
