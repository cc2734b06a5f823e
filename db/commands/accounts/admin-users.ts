import type { Knex } from "knex";
import { DomainError, notFound } from "../../../lib/domain-errors";
import { Plan, User, type Role } from "../../models";
import { recordAudit } from "../record";
import { revokeUserRefreshTokens } from "./refresh-tokens";

export interface ListUsersProps {
  db: Knex;
  limit: number;
  /** The id of the last user of the previous page. */
  cursor?: string;
}

/** A page of users, oldest account first; nextCursor is null on the last page. */
export async function listUsers({
  db,
  limit,
  cursor,
}: ListUsersProps): Promise<{ users: User[]; nextCursor: string | null }> {
  const query = User.query(db)
    .orderBy([{ column: "createdAt" }, { column: "id" }])
    .limit(limit + 1);
  if (cursor) {
    query.whereRaw("(created_at, id) > (select created_at, id from users where id = ?)", [cursor]);
  }
  const rows = await query;
  const users = rows.slice(0, limit);
  return { users, nextCursor: rows.length > limit ? users[users.length - 1].id : null };
}

export interface UserChanges {
  quotaBytes?: number;
  disabled?: boolean;
  role?: Role;
  /** The plan to put the user on (its quota is copied at once); null: no plan. */
  planId?: string | null;
}

export interface UpdateUserByAdminProps {
  db: Knex;
  actorId: string;
  userId: string;
  changes: UserChanges;
  ip: string;
}

/**
 * Applies an admin's changes to an account under a row lock, with one audit entry per change.
 * Disabling revokes the user's refresh tokens (their access tokens stop at the next request).
 * An admin cannot demote or disable themselves, so the last admin cannot lock everyone out.
 * Fails with not_found, self_lockout or unknown_plan.
 */
export async function updateUserByAdmin({ db, actorId, userId, changes, ip }: UpdateUserByAdminProps): Promise<User> {
  return db.transaction(async (trx) => {
    const user = await User.query(trx).findById(userId).forUpdate();
    if (!user) throw notFound("user");
    if (userId === actorId && (changes.disabled === true || changes.role === "user")) {
      throw new DomainError("self_lockout", "Admins cannot demote or disable themselves.");
    }
    const patch: Partial<User> = {};
    const audit = (action: string, details: Record<string, unknown>) =>
      recordAudit(trx, { actorId, action, targetType: "user", targetId: userId, ip, details });

    if (changes.planId !== undefined && changes.planId !== user.planId) {
      // The plan's row lock: a plan edit cannot slip its old quota in between.
      const plan = changes.planId ? await Plan.query(trx).findById(changes.planId).forShare() : null;
      if (changes.planId && !plan) throw new DomainError("unknown_plan", "No such plan.");
      patch.planId = changes.planId;
      if (plan && plan.quotaBytes !== user.quotaBytes && changes.quotaBytes === undefined) {
        patch.quotaBytes = plan.quotaBytes;
      }
      await audit("user.plan_changed", { from: user.planId, to: changes.planId, quotaBytes: patch.quotaBytes });
    }
    if (changes.quotaBytes !== undefined && changes.quotaBytes !== user.quotaBytes) {
      patch.quotaBytes = changes.quotaBytes;
      await audit("user.quota_changed", { from: user.quotaBytes, to: changes.quotaBytes });
    }
    if (changes.role !== undefined && changes.role !== user.role) {
      patch.role = changes.role;
      await audit("user.role_changed", { from: user.role, to: changes.role });
    }
    if (changes.disabled === true && !user.disabledAt) {
      patch.disabledAt = new Date();
      const revoked = await revokeUserRefreshTokens(trx, userId);
      await audit("user.disabled", { refreshTokensRevoked: revoked });
    } else if (changes.disabled === false && user.disabledAt) {
      patch.disabledAt = null;
      await audit("user.enabled", {});
    }
    if (Object.keys(patch).length === 0) return user;
    return user.$query(trx).patchAndFetch(patch);
  });
}
