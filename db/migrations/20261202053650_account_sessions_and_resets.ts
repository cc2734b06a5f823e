// Issue 16, accounts: refresh-token families are the sessions a user sees and ends, so each token
// keeps where and when its session began and when it was last refreshed (copied along the family on
// rotation, so pruning spent tokens loses nothing); password resets get their own single-use tokens;
// an account being deleted is marked so it stays locked while the AccountDeletion workflow works.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable("refresh_tokens", (t) => {
    t.text("ip");
    t.text("user_agent");
    t.timestamp("session_created_at", { useTz: true });
    t.timestamp("last_used_at", { useTz: true });
  });
  await knex.raw("UPDATE refresh_tokens SET session_created_at = created_at, last_used_at = created_at");
  // The nightly prune finds spent, revoked and expired tokens by these.
  await knex.raw("CREATE INDEX refresh_tokens_expires_at_index ON refresh_tokens (expires_at)");
  await knex.raw("CREATE INDEX email_verifications_expires_at_index ON email_verifications (expires_at)");
  await knex.raw("CREATE INDEX login_attempts_at_index ON login_attempts (at)");
  await knex.raw("CREATE INDEX login_locks_locked_until_index ON login_locks (locked_until)");

  await knex.schema.createTable("password_resets", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE").index();
    t.text("token_hash").notNullable().unique();
    t.timestamp("expires_at", { useTz: true }).notNullable().index();
    t.timestamp("used_at", { useTz: true });
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.alterTable("users", (t) => {
    t.timestamp("deletion_requested_at", { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable("users", (t) => t.dropColumn("deletion_requested_at"));
  await knex.schema.dropTableIfExists("password_resets");
  await knex.raw("DROP INDEX IF EXISTS login_locks_locked_until_index");
  await knex.raw("DROP INDEX IF EXISTS login_attempts_at_index");
  await knex.raw("DROP INDEX IF EXISTS email_verifications_expires_at_index");
  await knex.raw("DROP INDEX IF EXISTS refresh_tokens_expires_at_index");
  await knex.schema.alterTable("refresh_tokens", (t) => {
    t.dropColumn("ip");
    t.dropColumn("user_agent");
    t.dropColumn("session_created_at");
    t.dropColumn("last_used_at");
  });
}
