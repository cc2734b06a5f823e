import type { Knex } from "knex";
import { knexSnakeCaseMappers } from "objection";
import { migrationSource } from "./migrations";

/**
 * Knex settings for a database URL: one pool, our migration list, and camelCase in code for
 * snake_case in the database (identifiers in queries as well as rows).
 */
export function knexConfig(databaseUrl: string, pool = { min: 0, max: 10 }): Knex.Config {
  return {
    client: "pg",
    connection: databaseUrl,
    pool,
    // Errors name the statement with its placeholders: Knex would otherwise paste bound values
    // (token hashes, e-mails) into the message, and error messages are logged.
    compileSqlOnError: false,
    migrations: { migrationSource, tableName: "knex_migrations" },
    ...knexSnakeCaseMappers(),
  };
}
