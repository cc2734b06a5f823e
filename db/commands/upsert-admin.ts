import argon2 from "argon2";
import type { Knex } from "knex";
import { User } from "../models/user";

export interface UpsertAdminProps {
  db: Knex;
  email: string;
  password: string;
  quotaBytes: number;
}

/**
 * Creates the admin, or makes the existing account with that email a verified, enabled admin with
 * that password. Running it again with the same input changes nothing.
 */
export async function upsertAdmin({ db, email, password, quotaBytes }: UpsertAdminProps): Promise<{
  user: User;
  change: "created" | "updated" | "unchanged";
}> {
  return db.transaction(async (trx) => {
    const existing = await User.query(trx).whereRaw("lower(email) = lower(?)", [email]).forUpdate().first();
    if (!existing) {
      const user = await User.query(trx).insertAndFetch({
        email,
        passwordHash: await argon2.hash(password, { type: argon2.argon2id }),
        role: "admin",
        emailVerifiedAt: new Date(),
        quotaBytes,
      });
      return { user, change: "created" as const };
    }
    const passwordMatches = await argon2.verify(existing.passwordHash, password);
    if (passwordMatches && existing.role === "admin" && existing.emailVerifiedAt && !existing.disabledAt) {
      return { user: existing, change: "unchanged" as const };
    }
    const user = await existing.$query(trx).patchAndFetch({
      role: "admin",
      emailVerifiedAt: existing.emailVerifiedAt ?? new Date(),
      disabledAt: null,
      ...(passwordMatches ? {} : { passwordHash: await argon2.hash(password, { type: argon2.argon2id }) }),
    });
    return { user, change: "updated" as const };
  });
}
