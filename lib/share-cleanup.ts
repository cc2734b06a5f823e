import type { Config } from "./config";
import type { WorkflowName } from "./workflow-start";

/** The share-cleanup schedule of SPEC §7 (hourly) and the workflow it starts. */
export const SHARE_CLEANUP_SCHEDULE_ID = "share-cleanup";
export const SHARE_CLEANUP_WORKFLOW = "shareCleanup" satisfies WorkflowName;

/**
 * What the cleanup deletes, in this order: shares past their expiry, shares that used up their
 * download limit, shares revoked longer ago than the retention, and password-guess counters whose
 * window is over. Deleting a share deletes its access log and guess counters with it.
 */
export type ShareCleanupKind = "expired" | "consumed" | "revoked" | "passwordGuesses";

/** Rows deleted per kind. */
export type ShareCleanupResult = Record<ShareCleanupKind, number>;

/** Settings the workflow takes from the schedule (workflow code reads no env). */
export interface ShareCleanupInput {
  /** Rows per DELETE statement. */
  batchSize: number;
  revokedRetentionDays: number;
  /** The password-guess window: counters older than this are spent. */
  guessWindowSeconds: number;
}

export function shareCleanupInput(config: Config): ShareCleanupInput {
  return {
    batchSize: config.SHARE_CLEANUP_BATCH_SIZE,
    revokedRetentionDays: config.SHARE_REVOKED_RETENTION_DAYS,
    guessWindowSeconds: config.SHARE_PASSWORD_WINDOW_SECONDS,
  };
}
