import { randomUUID } from "node:crypto";
import argon2 from "argon2";
import type { AppDeps } from "../api/deps";
import { startSession } from "../db/commands/accounts/refresh-tokens";
import { User } from "../db/models";
import { signAccessToken } from "../lib/access-token";

export const testPassword = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

export interface TestUser {
  user: User;
  token: string;
  /** Headers that authenticate as this user. */
  headers: Record<string, string>;
}

/** A verified user of its own (unique email) with a valid access token of a session of its own. */
export async function createUser(deps: AppDeps, overrides: Partial<User> = {}): Promise<TestUser> {
  passwordHash ??= argon2.hash(testPassword, { type: argon2.argon2id });
  const user = await User.query(deps.db).insertAndFetch({
    email: `user-${randomUUID()}@example.com`,
    passwordHash: await passwordHash,
    role: "user",
    emailVerifiedAt: new Date(),
    quotaBytes: deps.config.DEFAULT_QUOTA_BYTES,
    ...overrides,
  });
  const { sessionId } = await startSession({ db: deps.db, userId: user.id, ttlSeconds: 600 });
  const token = await signAccessToken({ userId: user.id, role: user.role, sessionId }, deps.config.JWT_SECRET, 600);
  return { user, token, headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } };
}
