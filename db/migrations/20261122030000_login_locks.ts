// The login throttle (SPEC §6) locks an email + IP pair for a while after repeated failures. The
// lock lives in PostgreSQL so it holds across API restarts and is shared by every API process;
// login_attempts keeps the failures it is computed from.
import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("login_locks", (t) => {
    t.text("email").notNullable();
    t.text("ip").notNullable();
    t.timestamp("locked_at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp("locked_until", { useTz: true }).notNullable();
    t.primary(["email", "ip"]);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists("login_locks");
}
