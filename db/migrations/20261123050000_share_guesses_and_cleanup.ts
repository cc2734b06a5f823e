// Public shares (issue 5). Wrong share passwords are counted per link and client IP in PostgreSQL, one
// row per pair, so the guess limit holds across API processes and restarts and one conditional upsert
// keeps it exact under parallel guesses. The partial indexes let the hourly cleanup find consumed and
// revoked shares batch by batch without scanning the table.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("share_password_guesses", (t) => {
    t.uuid("share_id").notNullable().references("shares.id").onDelete("CASCADE");
    t.text("ip").notNullable();
    t.timestamp("window_started_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer("failures").notNullable().defaultTo(0);
    t.primary(["share_id", "ip"]);
    t.index(["window_started_at"]);
  });
  await knex.raw(`CREATE INDEX shares_consumed_idx ON shares (id)
    WHERE max_downloads IS NOT NULL AND download_count >= max_downloads`);
  await knex.raw("CREATE INDEX shares_revoked_at_idx ON shares (revoked_at) WHERE revoked_at IS NOT NULL");
  await knex.raw("CREATE INDEX shares_owner_created_idx ON shares (owner_id, created_at DESC, id DESC)");
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP INDEX IF EXISTS shares_owner_created_idx");
  await knex.raw("DROP INDEX IF EXISTS shares_revoked_at_idx");
  await knex.raw("DROP INDEX IF EXISTS shares_consumed_idx");
  await knex.schema.dropTableIfExists("share_password_guesses");
}
