import { AuditEntry } from "../../../db/models";
import { call, login, randomIp, setCookie, useAccountsTestEnv, type Reply } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser, testPassword } from "../../../test/factories";
import type { AppDeps } from "../../deps";

type SessionBody = { accessToken: string; expiresIn: number; user: { id: string }; refreshToken?: string };

describe("refresh tokens: cookie, rotation, reuse detection, logout", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv({ APP_URL: "http://coffer.test", REFRESH_TOKEN_TTL_SECONDS: "3600" });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const withCookie = (token: string) => ({ headers: { Cookie: `coffer_refresh=${token}` }, ip: randomIp() });
  const refreshByCookie = (token: string) => call<SessionBody>(server.url, "POST", "/auth/refresh", withCookie(token));
  const refreshByBody = (token: string) =>
    call<SessionBody>(server.url, "POST", "/auth/refresh", { body: { refreshToken: token }, ip: randomIp() });
  const cookieOf = (reply: Reply<unknown>) => setCookie(reply, "coffer_refresh")!.value;

  it("answers login with an access token and an httpOnly, SameSite=Strict refresh cookie on /api/auth", async () => {
    const { user } = await createUser(deps);
    const reply = await call<SessionBody>(server.url, "POST", "/auth/login", {
      body: { email: user.email, password: testPassword },
      ip: randomIp(),
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: deps.config.ACCESS_TOKEN_TTL_SECONDS,
      user: expect.objectContaining({ id: user.id }),
    });
    expect(reply.body).not.toHaveProperty("refreshToken");
    const cookie = setCookie(reply, "coffer_refresh")!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.line).toMatch(/; path=\/api\/auth/);
    expect(cookie.line).toMatch(/; httponly/i);
    expect(cookie.line).toMatch(/; samesite=strict/i);
    expect(cookie.line).toMatch(/; max-age=3600|; expires=/i);
    expect(cookie.line).not.toMatch(/; secure/i); // APP_URL is http here
  });

  it("rotates the refresh token on every use; the cookie and the JSON body both work", async () => {
    const { user } = await createUser(deps);
    const session = await login(server.url, user.email, testPassword);
    const first = await refreshByCookie(session.refreshToken);
    expect(first.status).toBe(200);
    expect(first.body.user.id).toBe(user.id);
    expect(first.body).not.toHaveProperty("refreshToken");
    const second = cookieOf(first);
    expect(second).not.toBe(session.refreshToken);
    expect((await call(server.url, "GET", "/me", { token: first.body.accessToken })).status).toBe(200);

    const third = await refreshByBody(second);
    expect(third.status).toBe(200);
    expect(third.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookieOf(third)).toBe(third.body.refreshToken);
    expect((await refreshByBody(third.body.refreshToken!)).status).toBe(200);
  });

  it("revokes the whole family when a used token comes back: the newest token stops working too", async () => {
    const { user } = await createUser(deps);
    const session = await login(server.url, user.email, testPassword);
    const rotated = await refreshByCookie(session.refreshToken);
    const newest = cookieOf(rotated);

    const replayed = await refreshByCookie(session.refreshToken);
    expect(replayed.status).toBe(401);
    expect(replayed.body).toMatchObject({ error: { code: "invalid_refresh_token" } });
    expect(setCookie(replayed, "coffer_refresh")?.line).toMatch(/expires=Thu, 01 Jan 1970/);
    expect((await refreshByCookie(newest)).status).toBe(401);
    expect(
      await AuditEntry.query(deps.db).where({ targetId: user.id, action: "user.refresh_token_reused" }),
    ).toHaveLength(1);

    // Another login (another family) is untouched.
    const other = await login(server.url, user.email, testPassword);
    expect((await refreshByCookie(other.refreshToken)).status).toBe(200);
  });

  it("gives exactly one new pair when the same token is spent twice at once", async () => {
    const { user } = await createUser(deps);
    const session = await login(server.url, user.email, testPassword);
    const replies = await Promise.all([refreshByCookie(session.refreshToken), refreshByCookie(session.refreshToken)]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it("revokes on logout (cookie or body) and clears the cookie; logout without a token is still 204", async () => {
    const { user } = await createUser(deps);
    const byCookie = await login(server.url, user.email, testPassword);
    const out = await call(server.url, "POST", "/auth/logout", withCookie(byCookie.refreshToken));
    expect(out.status).toBe(204);
    expect(setCookie(out, "coffer_refresh")?.line).toMatch(/coffer_refresh=;.*path=\/api\/auth/);
    expect((await refreshByCookie(byCookie.refreshToken)).status).toBe(401);

    const byBody = await login(server.url, user.email, testPassword);
    const rotated = await refreshByBody(byBody.refreshToken);
    expect(
      (await call(server.url, "POST", "/auth/logout", { body: { refreshToken: rotated.body.refreshToken } })).status,
    ).toBe(204);
    expect((await refreshByBody(rotated.body.refreshToken!)).status).toBe(401);

    expect((await call(server.url, "POST", "/auth/logout", { ip: randomIp() })).status).toBe(204);
    expect((await call(server.url, "POST", "/auth/logout", { body: { refreshToken: "unknown" } })).status).toBe(204);
  });

  it("answers 401 to unknown and expired refresh tokens and 400 when none is sent", async () => {
    const { user } = await createUser(deps);
    expect((await refreshByCookie("not-a-token")).status).toBe(401);
    const session = await login(server.url, user.email, testPassword);
    await deps
      .db("refresh_tokens")
      .where({ userId: user.id })
      .update({ expiresAt: new Date(Date.now() - 1000) });
    expect((await refreshByCookie(session.refreshToken)).status).toBe(401);
    const none = await call(server.url, "POST", "/auth/refresh", { ip: randomIp() });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ error: { code: "bad_request" } });
  });

  it("marks the cookie Secure when APP_URL is https", async () => {
    const secureDeps = { ...deps, config: { ...deps.config, APP_URL: "https://coffer.example" } };
    const secureServer = await startTestServer(secureDeps);
    try {
      const { user } = await createUser(deps);
      const reply = await call(secureServer.url, "POST", "/auth/login", {
        body: { email: user.email, password: testPassword },
        ip: randomIp(),
      });
      expect(reply.status).toBe(200);
      expect(setCookie(reply, "coffer_refresh")!.line).toMatch(/; secure/i);
    } finally {
      await secureServer.close();
    }
  });
});
