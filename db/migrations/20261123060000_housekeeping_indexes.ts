// Housekeeping (issue 6) pages through rows with keyset pagination and joins S3 listings with the
// files table by key range. Without these indexes each batch would scan the whole table, and a
// nightly run over millions of rows would grow quadratically. Key ranges use the "C" collation so
// they compare bytes as S3 sorts its listings, whatever the database's collation.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX files_s3_key_c_index ON files ((s3_key COLLATE "C"))`);
  await knex.raw(
    `CREATE INDEX files_thumbnail_key_c_index ON files ((thumbnail_key COLLATE "C")) WHERE thumbnail_key IS NOT NULL`,
  );
  await knex.raw("CREATE INDEX files_open_upload_id_index ON files (upload_id) WHERE upload_id IS NOT NULL");
  await knex.raw("CREATE INDEX files_uploading_id_index ON files (id) WHERE status = 'uploading'");
  await knex.raw("CREATE INDEX files_processing_id_index ON files (id) WHERE status = 'processing'");
  await knex.raw("CREATE INDEX files_trashed_at_id_index ON files (trashed_at, id) WHERE trashed_at IS NOT NULL");
  await knex.raw("CREATE INDEX files_folder_id_index ON files (folder_id)");
  await knex.raw("CREATE INDEX folders_trashed_at_id_index ON folders (trashed_at, id) WHERE trashed_at IS NOT NULL");
  await knex.raw("CREATE INDEX folders_parent_id_index ON folders (parent_id)");
}

export async function down(knex: Knex): Promise<void> {
  for (const index of [
    "files_s3_key_c_index",
    "files_thumbnail_key_c_index",
    "files_open_upload_id_index",
    "files_uploading_id_index",
    "files_processing_id_index",
    "files_trashed_at_id_index",
    "files_folder_id_index",
    "folders_trashed_at_id_index",
    "folders_parent_id_index",
  ]) {
    await knex.raw(`DROP INDEX IF EXISTS ${index}`);
  }
}
