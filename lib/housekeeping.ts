import type { Config } from "./config";
import type { WorkflowName } from "./workflow-start";

/** The schedules of SPEC §7 this module drives, and the workflows they start. */
export const UPLOAD_HOUSEKEEPING_SCHEDULE_ID = "upload-housekeeping";
export const UPLOAD_HOUSEKEEPING_WORKFLOW = "uploadHousekeeping" satisfies WorkflowName;
export const NIGHTLY_MAINTENANCE_SCHEDULE_ID = "nightly-maintenance";
export const NIGHTLY_MAINTENANCE_WORKFLOW = "nightlyMaintenance" satisfies WorkflowName;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What every housekeeping run shares: how it pages and how it survives a worker crash. */
export interface BatchSettings {
  /** true: find and report everything, change nothing. */
  dryRun: boolean;
  /** Rows or S3 keys one activity call handles. */
  batchSize: number;
  /** An activity silent this long is retried on another worker. */
  heartbeatTimeoutMs: number;
  /** The run continues as a new run once its history holds this many events. */
  maxHistoryEvents: number;
}

/** Settings of the upload housekeeping run (workflow code reads no env: the starter passes them). */
export interface UploadHousekeepingInput extends BatchSettings {
  /** Open uploads with no heartbeat for this long are aborted. */
  staleAfterMs: number;
  /** Multipart uploads no open upload row knows are aborted once they are this old. */
  orphanUploadMinAgeMs: number;
}

/** Settings of the nightly maintenance run. */
export interface NightlyMaintenanceInput extends BatchSettings {
  trashRetentionMs: number;
  quarantineRetentionMs: number;
  failedUploadRetentionMs: number;
  /** Objects no file row needs are deleted once they are this old; younger ones are only reported. */
  orphanObjectMinAgeMs: number;
}

const batchSettings = (config: Config, dryRun: boolean): BatchSettings => ({
  dryRun,
  batchSize: config.HOUSEKEEPING_BATCH_SIZE,
  heartbeatTimeoutMs: config.HOUSEKEEPING_HEARTBEAT_TIMEOUT_MS,
  maxHistoryEvents: 10_000,
});

export function uploadHousekeepingInput(config: Config, dryRun = false): UploadHousekeepingInput {
  return {
    ...batchSettings(config, dryRun),
    staleAfterMs: config.UPLOAD_STALE_MINUTES * MINUTE,
    orphanUploadMinAgeMs: config.MULTIPART_ORPHAN_MIN_AGE_MINUTES * MINUTE,
  };
}

export function nightlyMaintenanceInput(config: Config, dryRun = false): NightlyMaintenanceInput {
  return {
    ...batchSettings(config, dryRun),
    trashRetentionMs: config.TRASH_RETENTION_DAYS * DAY,
    quarantineRetentionMs: config.QUARANTINE_RETENTION_DAYS * DAY,
    failedUploadRetentionMs: config.FAILED_UPLOAD_RETENTION_DAYS * DAY,
    orphanObjectMinAgeMs: config.ORPHAN_OBJECT_MIN_AGE_HOURS * HOUR,
  };
}

/** How many items of one kind a run handled (or would handle), their bytes, and the first few ids or keys. */
export interface Tally {
  count: number;
  bytes: number;
  sample: string[];
}

/** Ids or keys a report names per kind; the counts stay exact beyond that. */
export const SAMPLE_SIZE = 20;

export const emptyTally = (): Tally => ({ count: 0, bytes: 0, sample: [] });

/** Adds a batch to a total; the total keeps the first SAMPLE_SIZE names only. */
export function addTally(total: Tally, batch: Tally): void {
  total.count += batch.count;
  total.bytes += batch.bytes;
  total.sample.push(...batch.sample.slice(0, Math.max(0, SAMPLE_SIZE - total.sample.length)));
}

export interface UploadHousekeepingReport {
  dryRun: boolean;
  /** Open uploads aborted for want of heartbeats (bytes: reservations released). */
  staleUploads: Tally;
  /** S3 multipart uploads no open upload knew (sample: their keys). */
  orphanMultipartUploads: Tally;
  /** Files in processing without a running FileLifecycle, for which one was started. */
  restartedLifecycles: Tally;
}

/** What the sweep of a user's objects found, recorded in the audit log with the correction. */
export interface StorageFindings {
  orphanObjects: number;
  orphanBytes: number;
  orphansDeleted: number;
  orphanKeys: string[];
  missingObjects: number;
  missingBytes: number;
  missingFileIds: string[];
}

/** Which files the nightly purge deletes, each after its own retention. */
export type PurgeKind = "trash" | "quarantine" | "failed";

export interface ReconcileReport {
  usersChecked: number;
  /** Users whose used_bytes was wrong (sample: their ids; bytes: the sum of |drift|). */
  usersCorrected: Tally;
  /** Objects under a user's prefixes that no file row needs. */
  orphanObjects: Tally;
  /** Those of them old enough to be deleted (and deleted, unless dryRun). */
  orphansDeleted: Tally;
  /** Files in processing, ready or quarantine whose object is not in S3 (sample: file ids). */
  missingObjects: Tally;
}

export const emptyReconcileReport = (): ReconcileReport => ({
  usersChecked: 0,
  usersCorrected: emptyTally(),
  orphanObjects: emptyTally(),
  orphansDeleted: emptyTally(),
  missingObjects: emptyTally(),
});

export function addReconcileReport(total: ReconcileReport, batch: ReconcileReport): void {
  total.usersChecked += batch.usersChecked;
  addTally(total.usersCorrected, batch.usersCorrected);
  addTally(total.orphanObjects, batch.orphanObjects);
  addTally(total.orphansDeleted, batch.orphansDeleted);
  addTally(total.missingObjects, batch.missingObjects);
}

/** Where the reconcile stands: the user being swept, which of their areas, from which key, and what was found so far. */
export interface ReconcileCursor {
  userId: string;
  /** Index into OBJECT_AREAS (lib/object-keys.ts); past the end: the listing is done, used_bytes is next. */
  area: number;
  startAfter: string | null;
  /** The listing's continuation token for the page after `startAfter`, when it is known. */
  continuationToken: string | null;
  findings: StorageFindings;
}

export interface NightlyMaintenanceReport {
  dryRun: boolean;
  /**
   * Files and folders deleted for good; `blocked`: due files left for the next run because their
   * owner's used_bytes was below their size (the reconcile of this run corrects it).
   */
  purged: Record<PurgeKind, Tally> & { folders: Tally; blocked: Tally };
  reconcile: ReconcileReport;
}

/** Where a keyset walk over rows ordered by (timestamp, id) stands; the timestamp as PostgreSQL text. */
export interface RowCursor {
  at: string;
  id: string;
}
