import { log } from "@temporalio/activity";
import { failFile, markFileReady, quarantineFile, rejectFile } from "../db/commands/files/lifecycle";
import { accountDeletionActivities } from "./account-deletion";
import type { ActivityDeps } from "./deps";
import { heartbeating } from "./heartbeat";
import { mappingFailures } from "./failures";
import { housekeepingActivities } from "./housekeeping";
import { notifyFileOutcomeActivity } from "./notify";
import { createPreviewActivity } from "./preview";
import { scanAndMarkReadyActivity } from "./scan-and-ready";
import { scanFileActivity } from "./scan-file";
import { webhookActivities } from "./webhooks";
import { purgeSharesActivity } from "./share-cleanup";
import { createThumbnailActivity } from "./thumbnail";

export type { ActivityDeps } from "./deps";
export type { ScanVerdict } from "./scan-file";
export type { ScanAndReadyVerdict } from "./scan-and-ready";

/**
 * Every activity, each safe to run twice: state changes are conditional on the current status. Their
 * domain errors become retryable or final ApplicationFailures in one place (activities/failures.ts).
 */
export function createActivities(deps: ActivityDeps) {
  return mappingFailures({
    scanFile: scanFileActivity(deps),
    scanAndMarkReady: scanAndMarkReadyActivity(deps),
    createThumbnail: heartbeating(createThumbnailActivity(deps)),
    notifyFileOutcome: notifyFileOutcomeActivity(deps),
    createPreview: heartbeating(createPreviewActivity(deps)),
    ...webhookActivities(deps),
    purgeShares: purgeSharesActivity(deps),
    ...housekeepingActivities(deps),
    ...accountDeletionActivities(deps),

    async markFileReady(fileId: string, sha256: string): Promise<boolean> {
      return (await markFileReady(deps.db, fileId, sha256)) !== null;
    },

    async quarantineFile(fileId: string, signature: string, sha256: string | null): Promise<boolean> {
      const maxQuarantinedBytes = deps.config.QUARANTINE_MAX_BYTES_PER_USER;
      const { quarantined, trimmed } = await quarantineFile(deps.db, deps.storage, {
        fileId,
        signature,
        sha256,
        maxQuarantinedBytes,
      });
      if (quarantined) {
        deps.metrics.virusDetections.inc();
        log.warn("infected file quarantined", { fileId, signature });
      }
      if (trimmed.length)
        log.warn("quarantine over its per-user cap: oldest quarantined files deleted", {
          fileId,
          deleted: trimmed,
          maxQuarantinedBytes,
        });
      return quarantined;
    },

    async failFile(fileId: string, reason: string): Promise<boolean> {
      return failFile(deps.db, fileId, reason);
    },

    async rejectFile(fileId: string, reason: string): Promise<boolean> {
      return rejectFile(deps.db, deps.storage, fileId, reason);
    },
  });
}

export type Activities = ReturnType<typeof createActivities>;

/** The activities a worker's scan task queue serves (lib/worker-queues), SCAN_CONCURRENCY at a time. */
export const SCAN_ACTIVITIES = ["scanFile", "scanAndMarkReady"] as const satisfies readonly (keyof Activities)[];
/** The activities its preview task queue serves, PREVIEW_CONCURRENCY at a time. */
export const PREVIEW_ACTIVITIES = ["createThumbnail", "createPreview"] as const satisfies readonly (keyof Activities)[];
