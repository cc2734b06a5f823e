// Webhooks (SPEC §6, issue 17): a user's endpoints, each with the events it wants and the secret its
// deliveries are signed with, and a log of every delivery attempt. failing_since marks the start of
// an unbroken run of failed attempts; past WEBHOOK_DISABLE_AFTER_SECONDS of it the webhook is
// disabled and its owner told.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("webhooks", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE");
    t.text("url").notNullable();
    t.specificType("events", "text[]").notNullable();
    t.text("secret").notNullable();
    t.timestamp("failing_since", { useTz: true });
    t.timestamp("disabled_at", { useTz: true });
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("updated_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["user_id"]);
  });
  await knex.schema.createTable("webhook_deliveries", (t) => {
    t.bigIncrements("id").primary();
    t.uuid("webhook_id").notNullable().references("webhooks.id").onDelete("CASCADE");
    t.text("event_id").notNullable();
    t.text("event_type").notNullable();
    t.integer("attempt").notNullable();
    t.integer("status_code");
    t.text("error");
    t.integer("duration_ms").notNullable();
    t.timestamp("at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["webhook_id", "id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("webhook_deliveries");
  await knex.schema.dropTableIfExists("webhooks");
}
