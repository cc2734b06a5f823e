// The admin analytics aggregate upload_events over a date range. Covering indexes let PostgreSQL
// answer each query from the index alone (index-only scans), so a 30-day report over millions of
// events costs a small fraction of a scan of the table, however the rows lie on disk.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX upload_events_at_covering ON upload_events (at) INCLUDE (type, file_id, bytes)");
  await knex.raw(
    "CREATE INDEX upload_events_type_at_covering ON upload_events (type, at) INCLUDE (user_id, bytes, mime_type, reason)",
  );
  await knex.raw("DROP INDEX IF EXISTS upload_events_at_index");
  await knex.raw("DROP INDEX IF EXISTS upload_events_type_at_index");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("CREATE INDEX upload_events_at_index ON upload_events (at)");
  await knex.raw("CREATE INDEX upload_events_type_at_index ON upload_events (type, at)");
  await knex.raw("DROP INDEX upload_events_at_covering");
  await knex.raw("DROP INDEX upload_events_type_at_covering");
}
