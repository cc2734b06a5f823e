import { randomUUID } from "node:crypto";
import { AuditEntry, User } from "../../../db/models";
import { call, login, randomIp, useAccountsTestEnv } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser, testPassword } from "../../../test/factories";
import type { AppDeps } from "../../deps";

type AdminUser = { id: string; email: string; role: string; disabled: boolean; quotaBytes: number; usedBytes: number };

describe("GET /admin/users and PATCH /admin/users/:id", () => {
  let deps: AppDeps;
  let server: TestServer;
  let admin: Awaited<ReturnType<typeof createUser>>;
  beforeAll(async () => {
    useAccountsTestEnv();
    deps = await createTestDeps();
    server = await startTestServer(deps);
    admin = await createUser(deps, { role: "admin" });
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const patch = (id: string, body: unknown, token = admin.token) =>
    call<{ user: AdminUser }>(server.url, "PATCH", `/admin/users/${id}`, { body, token });

  it("answers 404 to non-admins, as if the routes did not exist, and 401 without a token", async () => {
    const { user, token } = await createUser(deps);
    for (const reply of [
      await call(server.url, "GET", "/admin/users", { token }),
      await patch(user.id, { role: "admin" }, token),
    ]) {
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual({
        error: { code: "not_found", message: "No such route." },
        requestId: expect.any(String),
      });
    }
    expect((await User.query(deps.db).findById(user.id))!.role).toBe("user");
    expect((await call(server.url, "GET", "/admin/users")).status).toBe(401);
  });

  it("pages through every user with limit and cursor, each exactly once", async () => {
    const created = await Promise.all(Array.from({ length: 5 }, () => createUser(deps)));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10_000; page++) {
      const query: string = cursor ? `?limit=7&cursor=${cursor}` : "?limit=7";
      const reply: { status: number; body: { users: AdminUser[]; nextCursor: string | null } } = await call(
        server.url,
        "GET",
        `/admin/users${query}`,
        {
          token: admin.token,
        },
      );
      expect(reply.status).toBe(200);
      expect(reply.body.users.length).toBeLessThanOrEqual(7);
      seen.push(...reply.body.users.map((u) => u.id));
      cursor = reply.body.nextCursor;
      if (!cursor) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await User.query(deps.db).resultSize());
    for (const { user } of created) expect(seen).toContain(user.id);

    const first = await call<{ users: AdminUser[] }>(server.url, "GET", "/admin/users?limit=1", { token: admin.token });
    expect(first.body.users[0]).toEqual(
      expect.objectContaining({
        quotaBytes: expect.any(Number),
        usedBytes: expect.any(Number),
        disabled: expect.any(Boolean),
      }),
    );
    expect(first.body.users[0]).not.toHaveProperty("passwordHash");
  });

  it("changes quota and role, auditing each change", async () => {
    const { user } = await createUser(deps);
    const reply = await patch(user.id, { quotaBytes: 12345, role: "admin" });
    expect(reply.status).toBe(200);
    expect(reply.body.user).toMatchObject({ id: user.id, quotaBytes: 12345, role: "admin" });
    const entries = await AuditEntry.query(deps.db).where({ targetId: user.id }).orderBy("action");
    expect(entries.map((e) => [e.action, e.actorId, e.details])).toEqual([
      ["user.quota_changed", admin.user.id, { from: deps.config.DEFAULT_QUOTA_BYTES, to: 12345 }],
      ["user.role_changed", admin.user.id, { from: "user", to: "admin" }],
    ]);
    // Roles are read from the database, not from the token: promotion and demotion act at once.
    const { accessToken } = await login(server.url, user.email, testPassword);
    expect((await call(server.url, "GET", "/admin/users?limit=1", { token: accessToken })).status).toBe(200);
    expect((await patch(user.id, { role: "user" })).status).toBe(200);
    expect((await call(server.url, "GET", "/admin/users?limit=1", { token: accessToken })).status).toBe(404);
    expect((await patch(user.id, { role: "admin" })).status).toBe(200);
    // Setting the same values again changes and audits nothing.
    expect((await patch(user.id, { quotaBytes: 12345 })).status).toBe(200);
    expect(await AuditEntry.query(deps.db).where({ targetId: user.id, action: "user.quota_changed" })).toHaveLength(1);
  });

  it("disables a user: their token stops working, login is refused, refresh tokens are revoked; enabling restores login", async () => {
    const { user, token } = await createUser(deps);
    const session = await login(server.url, user.email, testPassword);
    expect((await call(server.url, "GET", "/me", { token })).status).toBe(200);

    const reply = await patch(user.id, { disabled: true });
    expect(reply.status).toBe(200);
    expect(reply.body.user.disabled).toBe(true);

    expect((await call(server.url, "GET", "/me", { token })).status).toBe(401);
    expect((await call(server.url, "GET", "/me", { token: session.accessToken })).status).toBe(401);
    const refused = await call(server.url, "POST", "/auth/login", {
      body: { email: user.email, password: testPassword },
      ip: randomIp(),
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: "account_disabled" } });
    const refresh = await call(server.url, "POST", "/auth/refresh", { body: { refreshToken: session.refreshToken } });
    expect(refresh.status).toBe(401);
    expect(await AuditEntry.query(deps.db).where({ targetId: user.id, action: "user.disabled" })).toHaveLength(1);

    expect((await patch(user.id, { disabled: false })).body.user.disabled).toBe(false);
    // The disable ended every session: the old tokens stay dead, a new login works.
    expect((await call(server.url, "GET", "/me", { token })).status).toBe(401);
    const again = await login(server.url, user.email, testPassword);
    expect((await call(server.url, "GET", "/me", { token: again.accessToken })).status).toBe(200);
    expect(await AuditEntry.query(deps.db).where({ targetId: user.id, action: "user.enabled" })).toHaveLength(1);
  });

  it("does not let an admin demote or disable themselves", async () => {
    for (const body of [{ role: "user" }, { disabled: true }]) {
      const reply = await patch(admin.user.id, body);
      expect(reply.status).toBe(409);
      expect(reply.body).toMatchObject({ error: { code: "self_lockout" } });
    }
    expect((await patch(admin.user.id, { quotaBytes: 5 })).status).toBe(200);
  });

  it("answers 404 for an unknown user and 400 for bad input", async () => {
    expect((await patch(randomUUID(), { quotaBytes: 1 })).status).toBe(404);
    const { user } = await createUser(deps);
    const bad: unknown[] = [
      {},
      { quotaBytes: -1 },
      { quotaBytes: 1.5 },
      { quotaBytes: "100" },
      { quotaBytes: 1e300 },
      { disabled: "yes" },
      { role: "root" },
      { role: "admin\u0000" },
      { email: "x@y.co" },
      [],
      null,
    ];
    for (const body of bad) {
      const reply = await patch(user.id, body);
      expect([reply.status, body]).toEqual([400, body]);
      expect(reply.body).toMatchObject({
        error: { code: expect.stringMatching(/^(validation_failed|invalid_json|bad_request)$/) },
      });
    }
    expect((await patch("not-a-uuid", { quotaBytes: 1 })).status).toBe(400);
    expect(
      (await call(server.url, "PATCH", `/admin/users/${user.id}`, { raw: '{"role":', token: admin.token })).status,
    ).toBe(400);
    for (const query of [
      "?limit=0",
      "?limit=101",
      "?limit=abc",
      "?cursor=nope",
      "?limit=1&limit=2",
      `?cursor=${"a".repeat(100_000)}`,
    ]) {
      const reply = await call(server.url, "GET", `/admin/users${query}`, { token: admin.token });
      expect([reply.status, query]).toEqual([query.length > 50_000 ? 431 : 400, query]);
    }
  });
});

describe("admin rate limit: 30 requests per IP per window", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv({ RATE_LIMIT_ADMIN_PER_MINUTE: "30" });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  it("answers the 31st admin request from one IP with 429 and another IP with 200", async () => {
    const admin = await createUser(deps, { role: "admin" });
    const ip = randomIp();
    for (let i = 0; i < 30; i++) {
      expect((await call(server.url, "GET", "/admin/users?limit=1", { token: admin.token, ip })).status).toBe(200);
    }
    const limited = await call(server.url, "GET", "/admin/users?limit=1", { token: admin.token, ip });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: "rate_limited" } });
    expect((await call(server.url, "GET", "/admin/users?limit=1", { token: admin.token, ip: randomIp() })).status).toBe(
      200,
    );
  });
});
