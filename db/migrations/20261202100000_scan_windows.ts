// A file scanned in overlapping windows (LARGE_FILE_SCAN=windowed, past clamd's StreamMaxLength) records
// the window it was scanned with: the bytes of each INSTREAM session and the bytes each window repeats
// of the one before. Both are null for a file scanned as one stream (scan_coverage 'full').
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("files", (table) => {
    table.bigInteger("scan_window_bytes");
    table.bigInteger("scan_overlap_bytes");
  });
  await knex.raw(
    `ALTER TABLE files ADD CONSTRAINT files_scan_window_check CHECK (
      (scan_window_bytes IS NULL) = (scan_overlap_bytes IS NULL)
      AND (scan_window_bytes IS NULL OR scan_coverage = 'windowed'))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("files", (table) => {
    table.dropColumn("scan_window_bytes");
    table.dropColumn("scan_overlap_bytes");
  });
}
