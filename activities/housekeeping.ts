import type { ActivityDeps } from "./deps";
import { finishObjectDeletionsActivity } from "./object-deletions";
import { abortOrphanMultipartUploadsActivity } from "./orphan-multipart-uploads";
import { accountMaintenanceActivities } from "./prune-accounts";
import { purgeExpiredFilesActivity, purgeExpiredFoldersActivity } from "./purge-expired";
import { reconcileStorageActivity } from "./reconcile-storage";
import { abortStaleUploadsActivity } from "./stale-uploads";
import { restartStuckFilesActivity } from "./stuck-files";

/** The activities of the upload-housekeeping and nightly-maintenance workflows: one batch per call. */
export function housekeepingActivities(deps: ActivityDeps) {
  return {
    abortStaleUploads: abortStaleUploadsActivity(deps),
    abortOrphanMultipartUploads: abortOrphanMultipartUploadsActivity(deps),
    restartStuckFiles: restartStuckFilesActivity(deps),
    finishObjectDeletions: finishObjectDeletionsActivity(deps),
    purgeExpiredFiles: purgeExpiredFilesActivity(deps),
    purgeExpiredFolders: purgeExpiredFoldersActivity(deps),
    reconcileStorage: reconcileStorageActivity(deps),
    ...accountMaintenanceActivities(deps),
  };
}
