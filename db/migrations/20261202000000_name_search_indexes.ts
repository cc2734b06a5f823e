// GET /search matches names anywhere inside ("contains", case-insensitive). A B-tree cannot serve
// `lower(name) LIKE '%…%'`; trigram GIN indexes can, for live items only (the only ones searched).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm");
  await knex.raw(
    "CREATE INDEX files_live_name_trgm_index ON files USING gin (lower(name) gin_trgm_ops) WHERE trashed_at IS NULL",
  );
  await knex.raw(
    "CREATE INDEX folders_live_name_trgm_index ON folders USING gin (lower(name) gin_trgm_ops) WHERE trashed_at IS NULL",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX IF EXISTS files_live_name_trgm_index");
  await knex.raw("DROP INDEX IF EXISTS folders_live_name_trgm_index");
}
