import type { Knex } from "knex";
import * as initial from "./20261122000000_initial";
import * as trashRoot from "./20261122010000_trash_root";
import * as sharesOutliveFiles from "./20261122020000_shares_outlive_files";
import * as loginLocks from "./20261122030000_login_locks";

/** Every migration in order. Listed by hand so the same source works from ts (tests) and dist. */
const migrations: Record<string, Knex.Migration> = {
  "20261122000000_initial": initial,
  "20261122010000_trash_root": trashRoot,
  "20261122020000_shares_outlive_files": sharesOutliveFiles,
  "20261122030000_login_locks": loginLocks,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};
