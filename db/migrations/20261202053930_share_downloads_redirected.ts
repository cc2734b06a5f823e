// Links with no download limit answer with a redirect to a presigned GET (docs/shares.md), so their
// access-log entries carry the file's size rather than the bytes the API sent: the flag says which.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("share_downloads", (t) => {
    t.boolean("redirected").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("share_downloads", (t) => {
    t.dropColumn("redirected");
  });
}
