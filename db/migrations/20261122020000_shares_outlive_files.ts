// A share must answer 410 Gone after its file is permanently deleted, so the share row stays (file_id
// set to NULL) instead of vanishing with the file, which would make its link look unknown (404).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("shares", (t) => {
    t.dropForeign(["file_id"]);
  });
  await knex.schema.alterTable("shares", (t) => {
    t.uuid("file_id").nullable().alter();
    t.foreign("file_id").references("files.id").onDelete("SET NULL");
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex("shares").whereNull("file_id").delete();
  await knex.schema.alterTable("shares", (t) => {
    t.dropForeign(["file_id"]);
  });
  await knex.schema.alterTable("shares", (t) => {
    t.uuid("file_id").notNullable().alter();
    t.foreign("file_id").references("files.id").onDelete("CASCADE");
  });
}
