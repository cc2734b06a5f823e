// Every change of a file's status is announced on the `file_status` channel (payload: the file's id)
// when its transaction commits, whichever code path made it: the API's wait for a scan's outcome
// (GET /files/:id?waitSeconds=) listens there instead of polling (api/file-status-waits.ts).
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create function announce_file_status() returns trigger language plpgsql as $$
    begin
      if new.status is distinct from old.status then
        perform pg_notify('file_status', new.id::text);
      end if;
      return null;
    end $$;
    create trigger files_announce_status after update of status on files
      for each row execute function announce_file_status();
  `);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`
    drop trigger files_announce_status on files;
    drop function announce_file_status();
  `);
}
