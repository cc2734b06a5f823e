import type { Knex } from "knex";
import { DomainError } from "../../../lib/domain-errors";
import { hashPassword } from "../../../lib/passwords";
import { User } from "../../models";
import { FREE_PLAN } from "../plans/plans";
import { recordAudit } from "../record";
import { createEmailVerification } from "./email-verification";

export interface RegisterUserProps {
  db: Knex;
  email: string;
  password: string;
  name: string | null;
  quotaBytes: number;
  verificationTtlSeconds: number;
  ip: string;
}

export interface RegisteredUser {
  user: User;
  /** The single-use token of the verification link to mail. */
  verificationToken: string;
}

/**
 * Creates an unverified account and its first verification token. The e-mail is kept as typed
 * (trimmed) and is unique case-insensitively; a taken one fails with email_taken. An account that
 * never verified its address within a verification link's lifetime does not hold it: it is
 * deleted (with its links) and the new one takes its place (docs/accounts.md).
 */
export async function registerUser(props: RegisterUserProps): Promise<RegisteredUser> {
  const passwordHash = await hashPassword(props.password);
  const email = props.email.trim();
  return props.db.transaction(async (trx) => {
    // The DELETE locks the row: of parallel registrations one deletes it, the others find it gone
    // and then lose the insert below to the winner's row.
    const replaced: { id: string }[] = await trx("users")
      .whereRaw("lower(email) = lower(?)", [email])
      .whereNull("emailVerifiedAt")
      .whereNull("firstLoginAt")
      .whereNull("disabledAt")
      .where("role", "user")
      .where("createdAt", "<", trx.raw("now() - ?::int * interval '1 second'", [props.verificationTtlSeconds]))
      .delete()
      .returning("id");
    // ON CONFLICT DO NOTHING against users_email_unique (lower(email)): no existence check first.
    const rows: Record<string, unknown>[] = await trx("users")
      .insert({
        email,
        name: props.name,
        passwordHash,
        role: "user",
        // New accounts get the free plan and its quota when the plan exists (db:seed makes it).
        quotaBytes: trx.raw("coalesce((SELECT quota_bytes FROM plans WHERE name = ?), ?)", [
          FREE_PLAN,
          props.quotaBytes,
        ]),
        planId: trx.raw("(SELECT id FROM plans WHERE name = ?)", [FREE_PLAN]),
      })
      .onConflict()
      .ignore()
      .returning("*");
    if (rows.length === 0) throw new DomainError("email_taken", "An account with this e-mail address exists.");
    const user = User.fromDatabaseJson(rows[0]);
    const verificationToken = await createEmailVerification(trx, user.id, props.verificationTtlSeconds);
    await recordAudit(trx, {
      actorId: user.id,
      action: "user.registered",
      targetType: "user",
      targetId: user.id,
      ip: props.ip,
      details: { email: user.email, ...(replaced.length > 0 && { replacedUnverifiedUserId: replaced[0].id }) },
    });
    return { user, verificationToken };
  });
}
