import { workflowInfo } from "@temporalio/workflow";
import type { BatchSettings } from "../lib/housekeeping";

/** True when the run should continue as a new run before its history grows any further. */
export function historyIsLong(settings: BatchSettings): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength >= settings.maxHistoryEvents;
}

/** Retries of one batch: a rerun is harmless, a batch that keeps failing fails the run (visible, alerted). */
export const batchRetry = { initialInterval: "1 second", maximumInterval: "1 minute", maximumAttempts: 10 } as const;
