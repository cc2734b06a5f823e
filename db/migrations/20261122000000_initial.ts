// The whole data model of SPEC §5 in one step: Coffer starts from an empty database.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.raw("CREATE EXTENSION IF NOT EXISTS pgcrypto");

  await knex.schema.createTable("users", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.text("email").notNullable();
    t.text("name");
    t.text("password_hash").notNullable();
    t.text("role").notNullable().defaultTo("user");
    t.timestamp("email_verified_at", { useTz: true });
    t.bigInteger("quota_bytes").notNullable();
    t.bigInteger("used_bytes").notNullable().defaultTo(0);
    t.bigInteger("reserved_bytes").notNullable().defaultTo(0);
    t.timestamp("disabled_at", { useTz: true });
    t.timestamp("first_login_at", { useTz: true });
    t.timestamps(true, true);
    t.check("?? in ('user', 'admin')", ["role"], "users_role_check");
    t.check("?? >= 0", ["used_bytes"], "users_used_bytes_check");
    t.check("?? >= 0", ["reserved_bytes"], "users_reserved_bytes_check");
    t.check("?? >= 0", ["quota_bytes"], "users_quota_bytes_check");
  });
  await knex.raw("CREATE UNIQUE INDEX users_email_unique ON users (lower(email))");

  await knex.schema.createTable("email_verifications", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE").index();
    t.text("token_hash").notNullable().unique();
    t.timestamp("expires_at", { useTz: true }).notNullable();
    t.timestamp("used_at", { useTz: true });
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable("refresh_tokens", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("user_id").notNullable().references("users.id").onDelete("CASCADE").index();
    t.uuid("family_id").notNullable().index();
    t.text("token_hash").notNullable().unique();
    t.timestamp("expires_at", { useTz: true }).notNullable();
    t.timestamp("used_at", { useTz: true });
    t.timestamp("revoked_at", { useTz: true });
    t.timestamp("created_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable("login_attempts", (t) => {
    t.bigIncrements("id");
    t.text("email").notNullable();
    t.text("ip").notNullable();
    t.boolean("succeeded").notNullable();
    t.timestamp("at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["email", "ip", "at"]);
  });

  await knex.schema.createTable("folders", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("owner_id").notNullable().references("users.id").onDelete("CASCADE");
    t.uuid("parent_id").references("folders.id").onDelete("CASCADE");
    t.text("name").notNullable();
    t.timestamp("trashed_at", { useTz: true });
    t.timestamps(true, true);
    t.index(["owner_id", "parent_id"]);
  });
  // Names are unique per parent among live folders; the root is the NULL parent.
  await knex.raw(`CREATE UNIQUE INDEX folders_live_name_unique
    ON folders (owner_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), name)
    WHERE trashed_at IS NULL`);

  await knex.schema.createTable("files", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("owner_id").notNullable().references("users.id").onDelete("CASCADE");
    t.uuid("folder_id").references("folders.id").onDelete("CASCADE");
    t.text("name").notNullable();
    t.bigInteger("size_bytes").notNullable();
    t.text("mime_type").notNullable().defaultTo("application/octet-stream");
    t.text("s3_key").notNullable().unique();
    t.text("status").notNullable().defaultTo("uploading");
    t.text("status_reason");
    t.text("upload_id");
    t.timestamp("last_heartbeat_at", { useTz: true });
    t.text("sha256");
    t.text("scan_signature");
    t.timestamp("scanned_at", { useTz: true });
    t.text("thumbnail_key");
    t.timestamp("trashed_at", { useTz: true });
    t.timestamps(true, true);
    t.check(
      "?? in ('uploading', 'processing', 'ready', 'quarantined', 'failed', 'rejected')",
      ["status"],
      "files_status_check",
    );
    t.check("?? >= 0", ["size_bytes"], "files_size_bytes_check");
    t.index(["owner_id", "folder_id"]);
    t.index(["status", "updated_at"]);
    t.index(["trashed_at"]);
  });
  await knex.raw(`CREATE UNIQUE INDEX files_live_name_unique
    ON files (owner_id, coalesce(folder_id, '00000000-0000-0000-0000-000000000000'::uuid), name)
    WHERE trashed_at IS NULL AND status IN ('uploading', 'processing', 'ready')`);

  await knex.schema.createTable("shares", (t) => {
    t.uuid("id").primary().defaultTo(knex.raw("gen_random_uuid()"));
    t.uuid("file_id").notNullable().references("files.id").onDelete("CASCADE").index();
    t.uuid("owner_id").notNullable().references("users.id").onDelete("CASCADE").index();
    t.text("token").notNullable().unique();
    t.text("password_hash");
    t.timestamp("expires_at", { useTz: true });
    t.integer("max_downloads");
    t.integer("download_count").notNullable().defaultTo(0);
    t.timestamp("revoked_at", { useTz: true });
    t.timestamps(true, true);
    t.check("?? >= 0", ["download_count"], "shares_download_count_check");
    t.check("?? IS NULL OR ?? > 0", ["max_downloads", "max_downloads"], "shares_max_downloads_check");
    t.index(["expires_at"]);
  });

  await knex.schema.createTable("share_downloads", (t) => {
    t.bigIncrements("id");
    t.uuid("share_id").notNullable().references("shares.id").onDelete("CASCADE");
    t.timestamp("at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text("ip");
    t.text("user_agent");
    t.bigInteger("bytes").notNullable().defaultTo(0);
    t.index(["share_id", "at"]);
  });

  await knex.schema.createTable("audit_log", (t) => {
    t.bigIncrements("id");
    t.uuid("actor_id");
    t.text("action").notNullable();
    t.text("target_type");
    t.text("target_id");
    t.text("ip");
    t.jsonb("details").notNullable().defaultTo("{}");
    t.timestamp("at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["action", "at"]);
    t.index(["target_type", "target_id"]);
  });

  await knex.schema.createTable("upload_events", (t) => {
    t.bigIncrements("id");
    t.uuid("file_id").notNullable();
    t.uuid("user_id").notNullable();
    t.text("type").notNullable();
    t.text("mime_type");
    t.bigInteger("bytes");
    t.text("reason");
    t.timestamp("at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.check(
      "?? in ('initiated', 'completed', 'failed', 'scanned_clean', 'scanned_infected', 'scan_error')",
      ["type"],
      "upload_events_type_check",
    );
    t.index(["at"]);
    t.index(["type", "at"]);
    t.index(["user_id", "at"]);
    t.index(["file_id"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    "upload_events",
    "audit_log",
    "share_downloads",
    "shares",
    "files",
    "folders",
    "login_attempts",
    "refresh_tokens",
    "email_verifications",
    "users",
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
}
