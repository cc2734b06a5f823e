// Notifications (issue 17): what happened to a user's files, in the app (notifications) and by mail.
// Every notification and every mail carries an idempotency key (e.g. `file.quarantined:<fileId>`),
// unique here, so an activity that runs twice adds and sends nothing twice; mail_deliveries is claimed
// before the mail leaves and marked once it has. users.mail_when_ready is the opt-in for "mail me
// when my upload is ready".
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("notifications", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE");
    t.text("kind").notNullable();
    // No foreign key: the notice outlives the file it is about (a quarantined file is purged later).
    t.uuid("file_id");
    t.jsonb("data").notNullable().defaultTo("{}");
    t.text("idempotency_key").notNullable().unique();
    t.timestamp("read_at", { useTz: true });
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw("CREATE INDEX notifications_user_newest_idx ON notifications (user_id, created_at DESC, id DESC)");
  await knex.raw("CREATE INDEX notifications_user_unread_idx ON notifications (user_id) WHERE read_at IS NULL");

  await knex.schema.createTable("mail_deliveries", (t) => {
    t.text("idempotency_key").primary();
    t.text("recipient").notNullable();
    t.text("subject").notNullable();
    /** sending: claimed, the SMTP exchange may or may not have finished; sent: the server took it. */
    t.text("state").notNullable();
    t.timestamp("claimed_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("sent_at", { useTz: true });
  });
  await knex.raw(
    "ALTER TABLE mail_deliveries ADD CONSTRAINT mail_deliveries_state_check CHECK (state IN ('sending', 'sent'))",
  );

  await knex.schema.alterTable("users", (t) => {
    t.boolean("mail_when_ready").notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => t.dropColumn("mail_when_ready"));
  await knex.schema.dropTableIfExists("mail_deliveries");
  await knex.schema.dropTableIfExists("notifications");
}
