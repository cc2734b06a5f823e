import { Counter, type Registry } from "prom-client";

/** What the housekeeping schedules did (real runs only: a dry run counts nothing). */
export function createHousekeepingMetrics(registry: Registry) {
  return {
    staleUploadsAborted: new Counter({
      name: "stale_uploads_aborted_total",
      help: "Open uploads aborted for want of heartbeats",
      registers: [registry],
    }),
    orphanMultipartUploadsAborted: new Counter({
      name: "orphan_multipart_uploads_aborted_total",
      help: "S3 multipart uploads aborted because no open upload knew them",
      registers: [registry],
    }),
    lifecyclesRestarted: new Counter({
      name: "file_lifecycles_restarted_total",
      help: "FileLifecycle runs started by housekeeping for files left in processing",
      registers: [registry],
    }),
    filesPurged: new Counter({
      name: "files_purged_total",
      help: "Files deleted for good by the nightly purge, by reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    foldersPurged: new Counter({
      name: "folders_purged_total",
      help: "Trashed folders deleted for good",
      registers: [registry],
    }),
    reconcileDriftBytes: new Counter({
      name: "reconcile_drift_bytes_total",
      help: "Bytes by which users' used_bytes were wrong (absolute), as corrected by the nightly reconcile",
      registers: [registry],
    }),
    reconcileUsersCorrected: new Counter({
      name: "reconcile_users_corrected_total",
      help: "Users whose used_bytes the nightly reconcile corrected",
      registers: [registry],
    }),
    orphanObjects: new Counter({
      name: "orphan_objects_total",
      help: "Objects found under a user's prefixes that no file row needs",
      registers: [registry],
    }),
    orphanObjectsDeleted: new Counter({
      name: "orphan_objects_deleted_total",
      help: "Orphan objects deleted once past their grace period",
      registers: [registry],
    }),
    missingObjects: new Counter({
      name: "missing_objects_total",
      help: "Files in processing, ready or quarantine whose object was not found in S3",
      registers: [registry],
    }),
  };
}

export type HousekeepingMetrics = ReturnType<typeof createHousekeepingMetrics>;
