// An unverified account older than EMAIL_VERIFICATION_TTL_SECONDS does not hold its address:
// registering that address again replaces it.
import argon2 from "argon2";
import { AuditEntry, User } from "../../../db/models";
import { call, randomIp, uniqueEmail, useAccountsTestEnv } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import type { AppDeps } from "../../deps";

describe("registering the address of an expired unverified account", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv();
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const register = (email: string, password: string) =>
    call<{ user: { id: string } }>(server.url, "POST", "/auth/register", { body: { email, password }, ip: randomIp() });
  const accountsOf = (email: string) => User.query(deps.db).whereRaw("lower(email) = lower(?)", [email]);
  /** Makes the account look as if it was registered longer ago than a verification link lives. */
  const age = (userId: string, extraSeconds = 60) =>
    deps
      .db("users")
      .where({ id: userId })
      .update({ createdAt: new Date(Date.now() - (deps.config.EMAIL_VERIFICATION_TTL_SECONDS + extraSeconds) * 1000) });

  it("replaces the squatter's account: new id, new password, the old links dead", async () => {
    const email = uniqueEmail();
    const squatter = await register(email, "the squatter's password");
    expect(squatter.status).toBe(201);
    await age(squatter.body.user.id);

    const owner = await call<{ user: { id: string } }>(server.url, "POST", "/auth/register", {
      body: { email: email.toUpperCase(), password: "the owner's password" },
      ip: randomIp(),
    });
    expect(owner.status).toBe(201);
    expect(owner.body.user.id).not.toBe(squatter.body.user.id);
    const [account] = await accountsOf(email);
    expect(account.id).toBe(owner.body.user.id);
    expect(await argon2.verify(account.passwordHash, "the owner's password")).toBe(true);

    // Its verification links went with it.
    expect(await deps.db("email_verifications").where({ userId: squatter.body.user.id })).toEqual([]);
    expect(await deps.db("email_verifications").where({ userId: owner.body.user.id })).toHaveLength(1);
    const registered = await AuditEntry.query(deps.db).where({
      action: "user.registered",
      targetId: owner.body.user.id,
    });
    expect(registered.map((entry) => entry.details)).toEqual([
      { email: email.toUpperCase(), replacedUnverifiedUserId: squatter.body.user.id },
    ]);
  });

  it("keeps verified accounts and unverified ones still within the verification lifetime", async () => {
    const young = uniqueEmail();
    await register(young, "a long enough password");
    const youngAgain = await register(young, "another long password");
    expect(youngAgain.status).toBe(409);
    expect(youngAgain.body).toMatchObject({ error: { code: "email_taken" } });

    const verified = uniqueEmail();
    const first = await register(verified, "a long enough password");
    await deps.db("users").where({ id: first.body.user.id }).update({ emailVerifiedAt: new Date() });
    await age(first.body.user.id);
    expect((await register(verified, "another long password")).status).toBe(409);
    expect((await accountsOf(verified)).map((user) => user.id)).toEqual([first.body.user.id]);
  });

  it("ends with exactly one account when several register the expired address at once", async () => {
    const email = uniqueEmail();
    const squatter = await register(email, "the squatter's password");
    await age(squatter.body.user.id);
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => register(email, `parallel password ${i}`)));
    expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const winner = replies.find((reply) => reply.status === 201)!;
    expect((await accountsOf(email)).map((user) => user.id)).toEqual([winner.body.user.id]);
  });
});
