import { AuditEntry, Folder, User } from "../../../db/models";
import {
  call,
  login,
  randomIp,
  registerVerified,
  uniqueEmail,
  useAccountsTestEnv,
  verificationTokenFor,
} from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser, testPassword } from "../../../test/factories";
import { findMail } from "../../../test/mailpit";
import type { AppDeps } from "../../deps";

describe("register, verify, resend, login and the first login", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv({ APP_URL: "http://coffer.test:8080" });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const password = "a long enough password";
  const actions = async (userId: string) =>
    (await AuditEntry.query(deps.db).where({ targetType: "user", targetId: userId }).orderBy("id")).map(
      (e) => e.action,
    );

  it("registers, mails a link to APP_URL/verify, verifies, logs in and shows /me", async () => {
    const email = uniqueEmail();
    const ip = randomIp();
    const registered = await call<{ user: { id: string; email: string; emailVerified: boolean } }>(
      server.url,
      "POST",
      "/auth/register",
      {
        body: { email: `  ${email}  `, password, name: "Ada" },
        ip,
      },
    );
    expect(registered.status).toBe(201);
    expect(registered.body.user).toMatchObject({ email, name: "Ada", role: "user", emailVerified: false });
    expect(registered.body.user).not.toHaveProperty("passwordHash");

    const mail = await findMail(email);
    expect(mail.text).toMatch(/http:\/\/coffer\.test:8080\/verify\?token=[A-Za-z0-9_-]{43}\b/);
    const token = await verificationTokenFor(email);

    const early = await call(server.url, "POST", "/auth/login", { body: { email, password }, ip });
    expect(early.status).toBe(403);
    expect(early.body).toEqual({
      error: { code: "email_not_verified", message: expect.any(String) },
      requestId: expect.any(String),
    });

    const verified = await call<{ user: { emailVerified: boolean } }>(server.url, "POST", "/auth/verify", {
      body: { token },
      ip,
    });
    expect(verified.status).toBe(200);
    expect(verified.body.user.emailVerified).toBe(true);

    const session = await login(server.url, email.toUpperCase(), password, ip);
    expect(session.user.email).toBe(email);
    const me = await call(server.url, "GET", "/me", { token: session.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      user: expect.objectContaining({ id: registered.body.user.id, email, emailVerified: true }),
      // New accounts are on the free plan when db:seed made it (docs/files.md "Plans").
      quota: expect.objectContaining({
        usedBytes: 0,
        reservedBytes: 0,
        quotaBytes: deps.config.DEFAULT_QUOTA_BYTES,
        availableBytes: deps.config.DEFAULT_QUOTA_BYTES,
        filesCount: 0,
      }),
    });

    const stored = await User.query(deps.db).findById(registered.body.user.id);
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await actions(registered.body.user.id)).toEqual([
      "user.registered",
      "user.email_verified",
      "user.login_succeeded",
    ]);
  });

  it("answers 400 to a verification token used twice, unknown or expired", async () => {
    const email = uniqueEmail();
    await call(server.url, "POST", "/auth/register", { body: { email, password }, ip: randomIp() });
    const token = await verificationTokenFor(email);
    expect((await call(server.url, "POST", "/auth/verify", { body: { token } })).status).toBe(200);
    const reused = await call(server.url, "POST", "/auth/verify", { body: { token } });
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ error: { code: "invalid_token" } });
    expect((await call(server.url, "POST", "/auth/verify", { body: { token: "x".repeat(43) } })).status).toBe(400);

    const other = uniqueEmail();
    const registered = await call<{ user: { id: string } }>(server.url, "POST", "/auth/register", {
      body: { email: other, password },
    });
    const expiring = await verificationTokenFor(other);
    await deps
      .db("email_verifications")
      .where({ userId: registered.body.user.id })
      .update({ expiresAt: new Date(Date.now() - 1000) });
    expect((await call(server.url, "POST", "/auth/verify", { body: { token: expiring } })).status).toBe(400);
  });

  it("verifies a token exactly once under parallel requests", async () => {
    const email = uniqueEmail();
    await call(server.url, "POST", "/auth/register", { body: { email, password }, ip: randomIp() });
    const token = await verificationTokenFor(email);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => call(server.url, "POST", "/auth/verify", { body: { token } })),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400]);
  });

  it("answers 202 to resend for an unknown address as for a known one, and mails the known one a new link", async () => {
    const unknown = await call(server.url, "POST", "/auth/resend-verification", { body: { email: uniqueEmail() } });
    expect(unknown.status).toBe(202);

    const email = uniqueEmail();
    await call(server.url, "POST", "/auth/register", { body: { email, password }, ip: randomIp() });
    const first = await verificationTokenFor(email);
    const known = await call(server.url, "POST", "/auth/resend-verification", { body: { email: email.toUpperCase() } });
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    let second = first;
    for (let i = 0; i < 50 && second === first; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      second = await verificationTokenFor(email);
    }
    expect(second).not.toBe(first);
    expect((await call(server.url, "POST", "/auth/verify", { body: { token: second } })).status).toBe(200);
    const verified = await call(server.url, "POST", "/auth/resend-verification", { body: { email } });
    expect(verified.status).toBe(202);
    expect(verified.body).toEqual(unknown.body);
  });

  it("refuses a second account for the same address in another case with 409", async () => {
    const { email } = await registerVerified(server.url);
    const again = await call(server.url, "POST", "/auth/register", { body: { email: email.toUpperCase(), password } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "email_taken" } });
  });

  it("answers 401 to a wrong password and to an unknown address, and audits both", async () => {
    const { user } = await createUser(deps);
    const wrong = await call(server.url, "POST", "/auth/login", {
      body: { email: user.email, password: "not the password" },
      ip: randomIp(),
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: { code: "invalid_credentials" } });
    const nobody = uniqueEmail();
    const unknown = await call(server.url, "POST", "/auth/login", {
      body: { email: nobody, password: "whatever it is" },
      ip: randomIp(),
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toEqual(wrong.body.error);
    expect(await actions(user.id)).toEqual(["user.login_failed"]);
    const anonymous = await AuditEntry.query(deps.db)
      .where({ action: "user.login_failed" })
      .whereRaw("details->>'email' = ?", [nobody]);
    expect(anonymous).toHaveLength(1);
  });

  it("creates exactly one Welcome folder under 10 parallel first logins", async () => {
    const { user } = await createUser(deps);
    const replies = await Promise.all(
      Array.from({ length: 10 }, () =>
        call(server.url, "POST", "/auth/login", {
          body: { email: user.email, password: testPassword },
          ip: randomIp(),
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(200));
    const folders = await Folder.query(deps.db).where({ ownerId: user.id });
    expect(folders.map((f) => [f.name, f.parentId])).toEqual([["Welcome", null]]);
    expect((await User.query(deps.db).findById(user.id))!.firstLoginAt).toBeInstanceOf(Date);
    await login(server.url, user.email, testPassword);
    expect(await Folder.query(deps.db).where({ ownerId: user.id }).resultSize()).toBe(1);
  });
});
