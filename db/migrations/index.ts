import type { Knex } from "knex";
import * as initial from "./20261122000000_initial";
import * as trashRoot from "./20261122010000_trash_root";
import * as sharesOutliveFiles from "./20261122020000_shares_outlive_files";
import * as loginLocks from "./20261122030000_login_locks";
import * as shareGuessesAndCleanup from "./20261123050000_share_guesses_and_cleanup";
import * as housekeepingIndexes from "./20261123060000_housekeeping_indexes";
import * as uploadEventsCoveringIndexes from "./20261123070000_upload_events_covering_indexes";
import * as nameSearchIndexes from "./20261202000000_name_search_indexes";

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
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};
