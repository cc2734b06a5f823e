import { log } from "@temporalio/activity";
import { markFileReady, quarantineFile, rejectFile } from "../db/commands/files/lifecycle";
import type { ActivityDeps } from "./deps";
import { housekeepingActivities } from "./housekeeping";
import { scanFileActivity } from "./scan-file";
import { purgeSharesActivity } from "./share-cleanup";
import { createThumbnailActivity } from "./thumbnail";

export type { ActivityDeps } from "./deps";
export type { ScanVerdict } from "./scan-file";

/** Every activity, each safe to run twice: state changes are conditional on the current status. */
export function createActivities(deps: ActivityDeps) {
  return {
    scanFile: scanFileActivity(deps),
    createThumbnail: createThumbnailActivity(deps),
    purgeShares: purgeSharesActivity(deps),
    ...housekeepingActivities(deps),

    async markFileReady(fileId: string, sha256: string): Promise<boolean> {
      return markFileReady(deps.db, fileId, sha256);
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

    async rejectFile(fileId: string, reason: string): Promise<boolean> {
      return rejectFile(deps.db, deps.storage, fileId, reason);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
