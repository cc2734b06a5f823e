import type { Knex } from "knex";
import * as initial from "./20261122000000_initial";
import * as trashRoot from "./20261122010000_trash_root";
import * as sharesOutliveFiles from "./20261122020000_shares_outlive_files";
import * as loginLocks from "./20261122030000_login_locks";
import * as shareGuessesAndCleanup from "./20261123050000_share_guesses_and_cleanup";
import * as housekeepingIndexes from "./20261123060000_housekeeping_indexes";
import * as uploadEventsCoveringIndexes from "./20261123070000_upload_events_covering_indexes";
import * as nameSearchIndexes from "./20261202000000_name_search_indexes";
import * as accountSessionsAndResets from "./20261202053650_account_sessions_and_resets";
import * as plansAndFolderShares from "./20261202053731_plans_and_folder_shares";
import * as objectDeletions from "./20261202053830_object_deletions";
import * as shareDownloadsRedirected from "./20261202053930_share_downloads_redirected";
import * as detectedTypesAndPreviews from "./20261202054500_detected_types_and_previews";
import * as notifications from "./20261202055000_notifications";
import * as webhooks from "./20261202060000_webhooks";
import * as scanWindows from "./20261202100000_scan_windows";
import * as fileStatusNotify from "./20261202110000_file_status_notify";

/** Every migration in order. Listed by hand so the same source works from ts (tests) and dist. */
const migrations: Record<string, Knex.Migration> = {
  "20261122000000_initial": initial,
  "20261122010000_trash_root": trashRoot,
  "20261122020000_shares_outlive_files": sharesOutliveFiles,
  "20261122030000_login_locks": loginLocks,
  "20261123050000_share_guesses_and_cleanup": shareGuessesAndCleanup,
  "20261123060000_housekeeping_indexes": housekeepingIndexes,
  "20261123070000_upload_events_covering_indexes": uploadEventsCoveringIndexes,
  "20261202000000_name_search_indexes": nameSearchIndexes,
  "20261202053650_account_sessions_and_resets": accountSessionsAndResets,
  "20261202053731_plans_and_folder_shares": plansAndFolderShares,
  "20261202053830_object_deletions": objectDeletions,
  "20261202053930_share_downloads_redirected": shareDownloadsRedirected,
  "20261202054500_detected_types_and_previews": detectedTypesAndPreviews,
  "20261202055000_notifications": notifications,
  "20261202060000_webhooks": webhooks,
  "20261202100000_scan_windows": scanWindows,
  "20261202110000_file_status_notify": fileStatusNotify,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};
