// Issue 16. Plans are the tiers an admin assigns (quota, file count, largest file); users keep their
// own quota_bytes (a plan sets it when assigned) and point at their plan for the other two limits.
// A share may now point at a folder instead of a file: its link downloads the folder as one ZIP.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("plans", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("name").notNullable().unique();
    t.bigInteger("quota_bytes").notNullable();
    t.integer("max_files").notNullable();
    t.bigInteger("max_file_bytes").notNullable();
    t.timestamps(true, true);
    t.check("?? >= 0", ["quota_bytes"], "plans_quota_bytes_check");
    t.check("?? >= 0", ["max_files"], "plans_max_files_check");
    t.check("?? > 0", ["max_file_bytes"], "plans_max_file_bytes_check");
  });
  await knex.schema.alterTable("users", (t) => {
    t.uuid("plan_id").references("plans.id").onDelete("SET NULL").index();
  });
  await knex.schema.alterTable("shares", (t) => {
    t.uuid("folder_id").references("folders.id").onDelete("SET NULL").index();
  });
  await knex.raw(
    "ALTER TABLE shares ADD CONSTRAINT shares_one_target_check CHECK (file_id IS NULL OR folder_id IS NULL)",
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("ALTER TABLE shares DROP CONSTRAINT shares_one_target_check");
  await knex.schema.alterTable("shares", (t) => {
    t.dropColumn("folder_id");
  });
  await knex.schema.alterTable("users", (t) => {
    t.dropColumn("plan_id");
  });
  await knex.schema.dropTable("plans");
}
