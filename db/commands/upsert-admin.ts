import argon2 from "argon2";
import type { Knex } from "knex";
import { User } from "../models/user";

export interface SeedAdminProps {
  db: Knex;
  email: string;
  password: string;
  quotaBytes: number;
}

export type SeedAdminResult =
  | { change: "created" | "unchanged"; user: User }
  /** An account that is not an admin holds the address: the seed neither promotes it nor sets its password. */
  | { change: "not_an_admin"; user: User };

/**
 * Creates the admin, verified, with `password` when no account has that email. An existing admin
 * keeps its password (and everything else): a seed that runs at every start must not put a
 * password from the environment back (resetAdminPassword does that, when asked).
 */
export async function seedAdmin({ db, email, password, quotaBytes }: SeedAdminProps): Promise<SeedAdminResult> {
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
  return db.transaction(async (trx) => {
    // ON CONFLICT DO NOTHING against users_email_unique: two seeds at once create one admin.
    const rows: Record<string, unknown>[] = await trx("users")
      .insert({ email, passwordHash, role: "admin", emailVerifiedAt: new Date(), quotaBytes })
      .onConflict()
      .ignore()
      .returning("*");
    if (rows.length > 0) return { change: "created" as const, user: User.fromDatabaseJson(rows[0]) };
    const existing = await User.query(trx).whereRaw("lower(email) = lower(?)", [email]).first();
    if (!existing) throw new Error(`the account ${email} disappeared while seeding`);
    return { change: existing.role === "admin" ? ("unchanged" as const) : ("not_an_admin" as const), user: existing };
  });
}

/**
 * Sets the password of the admin with that email and revokes its refresh tokens (a reset usually
 * means the old password leaked). False when no admin has that email.
 */
export async function resetAdminPassword({
  db,
  email,
  password,
}: Omit<SeedAdminProps, "quotaBytes">): Promise<boolean> {
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
  return db.transaction(async (trx) => {
    const [admin]: { id: string }[] = await trx("users")
      .whereRaw("lower(email) = lower(?)", [email])
      .where({ role: "admin" })
      .update({ passwordHash, updatedAt: trx.fn.now() })
      .returning("id");
    if (!admin) return false;
    await trx("refresh_tokens").where({ userId: admin.id }).whereNull("revokedAt").update({ revokedAt: trx.fn.now() });
    return true;
  });
}
