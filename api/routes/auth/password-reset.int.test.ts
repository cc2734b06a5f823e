import { AuditEntry } from "../../../db/models";
import { call, login, randomIp, uniqueEmail, useAccountsTestEnv } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser, testPassword } from "../../../test/factories";
import { countMails, findMailAbout } from "../../../test/mailpit";
import type { AppDeps } from "../../deps";

const newPassword = "a brand new password 123";

describe("forgot and reset password", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv({ APP_URL: "http://coffer.test" });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const forgot = (email: string) =>
    call(server.url, "POST", "/auth/password/forgot", { body: { email }, ip: randomIp() });
  const reset = (token: string, password = newPassword) =>
    call(server.url, "POST", "/auth/password/reset", { body: { token, password }, ip: randomIp() });
  const me = (token: string) => call(server.url, "GET", "/me", { token });

  /** The token of the newest reset mail to `email`. */
  async function resetTokenFor(email: string): Promise<string> {
    const mail = await findMailAbout(email, "Reset your Coffer password");
    const match = /http:\/\/coffer\.test\/reset\?token=([A-Za-z0-9_-]+)/.exec(mail.text);
    if (!match) throw new Error(`no reset link in ${mail.text}`);
    return match[1];
  }

  it("answers 202 with the same body for a known and an unknown address; only the known one gets a mail", async () => {
    const { user } = await createUser(deps);
    const unknown = uniqueEmail();
    const [known, stranger] = await Promise.all([forgot(user.email.toUpperCase()), forgot(unknown)]);
    expect(known.status).toBe(202);
    expect(stranger.status).toBe(202);
    expect(stranger.body).toEqual(known.body);
    expect(known.body).toEqual({ status: "accepted" });
    expect([...known.headers.keys()].sort()).toEqual([...stranger.headers.keys()].sort());
    const mail = await findMailAbout(user.email, "Reset your Coffer password");
    expect(mail.text).toMatch(/expires in 1 hour/);
    expect(await countMails(unknown)).toBe(0);
  });

  it("sends nothing for a disabled account, still 202", async () => {
    const { user } = await createUser(deps, { disabledAt: new Date() });
    expect((await forgot(user.email)).status).toBe(202);
    // The mail of the previous test arrived within this time; nothing comes for this one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await countMails(user.email)).toBe(0);
  });

  it("resets with the mailed link once: every session ends, the new password works, the old does not, a notice is mailed", async () => {
    const { user, token: factoryToken } = await createUser(deps);
    const web = await login(server.url, user.email, testPassword);
    await forgot(user.email);
    const token = await resetTokenFor(user.email);

    const done = await reset(token);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ user: { id: user.id, email: user.email } });
    expect((await me(web.accessToken)).status).toBe(401);
    expect((await me(factoryToken)).status).toBe(401);
    const refreshed = await call(server.url, "POST", "/auth/refresh", { body: { refreshToken: web.refreshToken } });
    expect(refreshed.status).toBe(401);

    const old = await call(server.url, "POST", "/auth/login", {
      body: { email: user.email, password: testPassword },
      ip: randomIp(),
    });
    expect(old.status).toBe(401);
    const fresh = await login(server.url, user.email, newPassword);
    expect((await me(fresh.accessToken)).status).toBe(200);

    const again = await reset(token, "yet another password 456");
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: { code: "invalid_token" }, requestId: expect.any(String) });

    const notice = await findMailAbout(user.email, "Your Coffer password was changed");
    expect(notice.text).toMatch(/reset through an e-mailed link/);
    const audit = await AuditEntry.query(deps.db).where({ targetId: user.id, action: "user.password_reset" });
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ sessionsEnded: 2 });
  });

  it("lets exactly one of parallel resets with the same link win", async () => {
    const { user } = await createUser(deps);
    await forgot(user.email);
    const token = await resetTokenFor(user.email);
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => reset(token, `parallel password ${i}xx`)));
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 400, 400, 400, 400, 400]);
    const winner = replies.findIndex((reply) => reply.status === 200);
    await login(server.url, user.email, `parallel password ${winner}xx`);
  });

  it("refuses an expired link, an unknown one, and an older link once a newer one was used", async () => {
    const { user } = await createUser(deps);
    await forgot(user.email);
    const first = await resetTokenFor(user.email);
    await deps
      .db("password_resets")
      .where({ userId: user.id })
      .update({ expiresAt: new Date(Date.now() - 1000) });
    expect((await reset(first)).body).toMatchObject({ error: { code: "invalid_token" } });

    await forgot(user.email);
    const second = await waitForNewToken(user.email, first);
    await forgot(user.email);
    const third = await waitForNewToken(user.email, second);
    expect((await reset(third)).status).toBe(200);
    expect((await reset(second)).status).toBe(400);
    expect((await reset("A".repeat(43))).status).toBe(400);
  });

  async function waitForNewToken(email: string, previous: string): Promise<string> {
    for (let i = 0; i < 50; i++) {
      const token = await resetTokenFor(email);
      if (token !== previous) return token;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error("no new reset mail");
  }

  it("answers bad input with 400 and the error body, never 5xx", async () => {
    for (const body of [{}, { email: "not an address" }, { email: 42 }]) {
      const reply = await call(server.url, "POST", "/auth/password/forgot", { body, ip: randomIp() });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({ error: { code: "validation_failed" } });
    }
    for (const body of [
      {},
      { token: "x" },
      { token: "ok", password: "short" },
      { token: "a b", password: newPassword },
    ]) {
      const reply = await call(server.url, "POST", "/auth/password/reset", { body, ip: randomIp() });
      expect(reply.status).toBe(400);
    }
    const form = await call(server.url, "POST", "/auth/password/forgot", {
      raw: "email=a@b.co",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(415);
  });
});
