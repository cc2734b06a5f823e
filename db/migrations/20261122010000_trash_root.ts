// Trashing a folder trashes everything under it at once; trash_root_id remembers which deletion
// trashed an item, so GET /trash lists only what the user deleted and a restore brings back exactly
// that deletion's content.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  for (const table of ["folders", "files"]) {
    await knex.schema.alterTable(table, (t) => {
      t.uuid("trash_root_id");
      t.index(["trash_root_id"]);
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ["folders", "files"]) {
    await knex.schema.alterTable(table, (t) => {
      t.dropColumn("trash_root_id");
    });
  }
}
