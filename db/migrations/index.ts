import type { Knex } from "knex";
import * as initial from "./20261122000000_initial";

/** Every migration in order. Listed by hand so the same source works from ts (tests) and dist. */
const migrations: Record<string, Knex.Migration> = {
  "20261122000000_initial": initial,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(migrations),
  getMigrationName: (name) => name,
  getMigration: async (name) => migrations[name],
};
