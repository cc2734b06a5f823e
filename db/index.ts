import knex, { type Knex } from "knex";
import { Model } from "objection";
import pg from "pg";
import { knexConfig } from "./knexfile";

export type { Knex };

// bigint (int8) columns hold byte counts well below 2^53: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** Opens the pool and binds the Objection models to it. */
export function createDb(databaseUrl: string): Knex {
  const db = knex(knexConfig(databaseUrl));
  Model.knex(db);
  return db;
}

export async function checkDb(db: Knex): Promise<void> {
  await db.raw("select 1");
}
