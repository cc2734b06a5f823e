import { AuditEntry } from "../../../db/models";
import { call, randomIp, uniqueEmail, useAccountsTestEnv } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser, testPassword } from "../../../test/factories";
import type { AppDeps } from "../../deps";

describe("login throttle: 5 failures per email + IP lock the pair", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv({ LOGIN_MAX_FAILURES: "5", LOGIN_FAILURE_WINDOW_SECONDS: "600", LOGIN_LOCK_SECONDS: "2" });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const attempt = (email: string, password: string, ip: string) =>
    call(server.url, "POST", "/auth/login", { body: { email, password }, ip });

  it("answers 429 login_locked to the sixth attempt and to the right password until the lock ends; other IPs are not locked", async () => {
    const { user } = await createUser(deps);
    const ip = randomIp();
    for (let i = 0; i < 5; i++) {
      expect((await attempt(user.email, `wrong password ${i}`, ip)).status).toBe(401);
    }
    const sixth = await attempt(user.email, "wrong password 6", ip);
    expect(sixth.status).toBe(429);
    expect(sixth.body).toMatchObject({ error: { code: "login_locked" }, requestId: expect.any(String) });
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);

    const right = await attempt(user.email.toUpperCase(), testPassword, ip);
    expect(right.status).toBe(429);
    expect(right.body).toMatchObject({ error: { code: "login_locked" } });

    expect((await attempt(user.email, testPassword, randomIp())).status).toBe(200);

    const audited = await AuditEntry.query(deps.db).where({ targetId: user.id, action: "user.login_locked" });
    expect(audited).toHaveLength(1);
    expect(audited[0].ip).toBe(ip);

    // Wait for the 2 s lock to end (polling, no timing assertion): then the right password works.
    let after = right;
    for (let i = 0; i < 40 && after.status === 429; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      after = await attempt(user.email, testPassword, ip);
    }
    expect(after.status).toBe(200);
  });

  it("starts counting afresh after a success", async () => {
    const { user } = await createUser(deps);
    const ip = randomIp();
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, "wrong password", ip)).status).toBe(401);
    expect((await attempt(user.email, testPassword, ip)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, "wrong password", ip)).status).toBe(401);
    expect((await attempt(user.email, testPassword, ip)).status).toBe(200);
  });

  it("locks an unknown address the same way (no account enumeration)", async () => {
    const email = uniqueEmail();
    const ip = randomIp();
    for (let i = 0; i < 5; i++) expect((await attempt(email, "some password", ip)).status).toBe(401);
    expect((await attempt(email, "some password", ip)).status).toBe(429);
  });

  it("lets no more than 5 of 12 parallel wrong attempts through before the lock", async () => {
    const { user } = await createUser(deps);
    const ip = randomIp();
    const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(user.email, `wrong ${i}`, ip)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(401), ...Array(7).fill(429)]);
  });
});
