import { call, randomIp, useAccountsTestEnv, type Reply } from "../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../test/deps";
import { createUser, testPassword } from "../../test/factories";
import type { AppDeps } from "../deps";

describe("every response says nosniff and no-store", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv({ RATE_LIMIT_PUBLIC_PER_MINUTE: "100000" });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const expectHeaders = (reply: Reply<unknown>, label: string) => {
    expect([label, reply.headers.get("x-content-type-options")]).toEqual([label, "nosniff"]);
    expect([label, reply.headers.get("cache-control")]).toEqual([label, "no-store"]);
  };

  it("on login and refresh, which carry tokens", async () => {
    const { user } = await createUser(deps);
    const login = await call<{ accessToken: string }>(server.url, "POST", "/auth/login", {
      body: { email: user.email, password: testPassword },
      ip: randomIp(),
    });
    expect(login.status).toBe(200);
    expectHeaders(login, "login");
    const cookie = login.headers
      .getSetCookie()
      .find((line) => line.startsWith("coffer_refresh="))!
      .split(";")[0];
    const refresh = await call(server.url, "POST", "/auth/refresh", { headers: { Cookie: cookie }, ip: randomIp() });
    expect(refresh.status).toBe(200);
    expectHeaders(refresh, "refresh");
    const me = await call(server.url, "GET", "/me", { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expectHeaders(me, "me");
  });

  it("on errors and on routes that do not exist", async () => {
    const { token } = await createUser(deps);
    const cases: [string, string, Parameters<typeof call>[3]][] = [
      [
        "POST",
        "/auth/login",
        { body: { email: "nobody@example.com", password: "a long enough password" }, ip: randomIp() },
      ],
      ["POST", "/auth/login", { raw: "{not json", ip: randomIp() }],
      ["GET", "/me", {}],
      ["GET", "/no/such/route", {}],
      ["PROPFIND", "/me", { token }],
      ["GET", "/s/no-such-share-token", { ip: randomIp() }],
      ["GET", "/files/not-a-uuid", { token }],
    ];
    for (const [method, path, options] of cases) {
      const reply = await call(server.url, method, path, options);
      expect([path, reply.status >= 400]).toEqual([path, true]);
      expectHeaders(reply, `${method} ${path} ${reply.status}`);
    }
  });

  it("on the probes", async () => {
    for (const path of ["/health", "/metrics"]) {
      const res = await fetch(`${server.url}${path}`);
      await res.text();
      expect([path, res.headers.get("x-content-type-options")]).toEqual([path, "nosniff"]);
    }
  });
});
