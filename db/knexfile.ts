import type { Knex } from "knex";
import { migrationSource } from "./migrations";

/** Knex settings for a database URL: one pool, our migration list, bigint columns as numbers. */
export function knexConfig(databaseUrl: string, pool = { min: 0, max: 10 }): Knex.Config {
  return {
    client: "pg",
    connection: databaseUrl,
    pool,
    migrations: { migrationSource, tableName: "knex_migrations" },
  };
}
