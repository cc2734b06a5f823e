import type { Knex } from "knex";
import { User } from "../../models";

/** The key e-mails are compared by: trimmed, lower case (users_email_unique is on lower(email)). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** The account with this e-mail, compared case-insensitively, or undefined. */
export async function findUserByEmail(db: Knex | Knex.Transaction, email: string): Promise<User | undefined> {
  return User.query(db)
    .whereRaw("lower(email) = ?", [emailKey(email)])
    .first();
}

/** Any user by id, or undefined: for workflows' activities, which act for no user. */
export async function findUser(db: Knex | Knex.Transaction, userId: string): Promise<User | undefined> {
  return User.query(db).findById(userId);
}
