// The scan pass now detects a file's type from its bytes (the type policy checks it and downloads send
// it), records how it covered the bytes (full, or in overlapping windows past clamd's limit), and a
// ready file may get a larger preview image beside its thumbnail.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("files", (table) => {
    table.text("detected_mime_type");
    table.text("scan_coverage");
    table.text("preview_key");
  });
  await knex.raw(
    "ALTER TABLE files ADD CONSTRAINT files_scan_coverage_check CHECK (scan_coverage IN ('full', 'windowed'))",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("files", (table) => {
    table.dropColumn("detected_mime_type");
    table.dropColumn("scan_coverage");
    table.dropColumn("preview_key");
  });
}
