import { SignJWT } from "jose";
import { updateUserByAdmin } from "../../../db/commands/accounts";
import { call, login, randomIp, setCookie, useAccountsTestEnv } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser, testPassword } from "../../../test/factories";
import type { AppDeps } from "../../deps";

describe("an access token ends with its session", () => {
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

  const me = (token: string) => call(server.url, "GET", "/me", { token });
  const logout = (refreshToken: string) =>
    call(server.url, "POST", "/auth/logout", { headers: { Cookie: `coffer_refresh=${refreshToken}` }, ip: randomIp() });

  it("login, logout: the same access token gets 401 at once; the user's other sessions go on", async () => {
    const { user } = await createUser(deps);
    const session = await login(server.url, user.email, testPassword);
    const other = await login(server.url, user.email, testPassword);
    expect((await me(session.accessToken)).status).toBe(200);

    expect((await logout(session.refreshToken)).status).toBe(204);
    const after = await me(session.accessToken);
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: { code: "invalid_token" } });
    expect((await me(other.accessToken)).status).toBe(200);
  });

  it("ends every access token of the session, those from refreshes included", async () => {
    const { user } = await createUser(deps);
    const session = await login(server.url, user.email, testPassword);
    const refreshed = await call<{ accessToken: string }>(server.url, "POST", "/auth/refresh", {
      headers: { Cookie: `coffer_refresh=${session.refreshToken}` },
      ip: randomIp(),
    });
    expect(refreshed.status).toBe(200);
    const newest = setCookie(refreshed, "coffer_refresh")!.value;
    expect((await logout(newest)).status).toBe(204);
    expect((await me(session.accessToken)).status).toBe(401);
    expect((await me(refreshed.body.accessToken)).status).toBe(401);
  });

  it("logs out with the access token alone (no refresh token at hand)", async () => {
    const { user } = await createUser(deps);
    const session = await login(server.url, user.email, testPassword);
    expect(
      (await call(server.url, "POST", "/auth/logout", { token: session.accessToken, ip: randomIp() })).status,
    ).toBe(204);
    expect((await me(session.accessToken)).status).toBe(401);
    const refresh = await call(server.url, "POST", "/auth/refresh", {
      body: { refreshToken: session.refreshToken },
      ip: randomIp(),
    });
    expect(refresh.status).toBe(401);
  });

  it("ends the session's access tokens when a spent refresh token comes back (family revoked)", async () => {
    const { user } = await createUser(deps);
    const session = await login(server.url, user.email, testPassword);
    const withCookie = { headers: { Cookie: `coffer_refresh=${session.refreshToken}` }, ip: randomIp() };
    expect((await call(server.url, "POST", "/auth/refresh", withCookie)).status).toBe(200);
    expect((await call(server.url, "POST", "/auth/refresh", withCookie)).status).toBe(401);
    expect((await me(session.accessToken)).status).toBe(401);
  });

  it("ends a disabled user's tokens at once", async () => {
    const { user } = await createUser(deps);
    const { user: admin } = await createUser(deps, { role: "admin" });
    const session = await login(server.url, user.email, testPassword);
    await updateUserByAdmin({
      db: deps.db,
      actorId: admin.id,
      userId: user.id,
      changes: { disabled: true },
      ip: randomIp(),
    });
    expect((await me(session.accessToken)).status).toBe(401);
  });

  it("refuses a validly signed token that names no session (minted before sessions were checked)", async () => {
    const { user } = await createUser(deps);
    const legacy = await new SignJWT({ role: "user" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(user.id)
      .setIssuer("coffer")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(deps.config.JWT_SECRET));
    for (const token of [
      legacy,
      await signWithSid(user.id, "not-a-uuid"),
      await signWithSid(user.id, crypto.randomUUID()),
    ]) {
      const reply = await me(token);
      expect(reply.status).toBe(401);
      expect(reply.body).toMatchObject({ error: { code: "invalid_token" } });
    }
  });

  it("refuses a session id that belongs to another user", async () => {
    const { user } = await createUser(deps);
    const { user: other } = await createUser(deps);
    const session = await login(server.url, other.email, testPassword);
    const sid = JSON.parse(Buffer.from(session.accessToken.split(".")[1], "base64url").toString()).sid as string;
    expect((await me(await signWithSid(user.id, sid))).status).toBe(401);
  });

  const signWithSid = (userId: string, sid: string) =>
    new SignJWT({ role: "user", sid })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(userId)
      .setIssuer("coffer")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(deps.config.JWT_SECRET));
});
