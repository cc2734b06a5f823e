// A permanent delete removes the row and must still remove its objects when S3 is away at that
// moment (a MinIO restart): the keys to remove are written in the same transaction as the delete,
// and removed once storage answers (at once, else by the upload housekeeping schedule).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("object_deletions", (t) => {
    t.bigIncrements("id");
    t.text("key").notNullable();
    /** An open multipart upload to abort before the key is deleted. */
    t.text("upload_id");
    t.text("reason").notNullable();
    t.integer("attempts").notNullable().defaultTo(0);
    t.text("last_error");
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["key"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable("object_deletions");
}
