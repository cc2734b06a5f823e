import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { call, randomIp, useAccountsTestEnv, type Reply } from "../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../test/deps";
import { createUser, testPassword } from "../../test/factories";
import { missingSecurityHeaders } from "../../test/security-headers";
import { createApp } from "../app";
import type { AppDeps } from "../deps";
import { createHttpServer } from "../http-server";

// Every route of the route table is walked by api/authorization-matrix.int.test.ts, which checks
// these headers on each answer; this file covers the rest: the web client, probes, the reference
// page, Node's own refusals, and HSTS behind an https APP_URL.
describe("every response carries the security headers", () => {
  let deps: AppDeps;
  let server: TestServer;
  let webDist: string;
  beforeAll(async () => {
    webDist = mkdtempSync(path.join(tmpdir(), "coffer-web-"));
    mkdirSync(path.join(webDist, "assets"));
    writeFileSync(
      path.join(webDist, "index.html"),
      "<!doctype html><title>Coffer</title><script src=/assets/app.js></script>",
    );
    writeFileSync(path.join(webDist, "assets", "app.js"), "console.log('coffer');\n");
    useAccountsTestEnv({ RATE_LIMIT_PUBLIC_PER_MINUTE: "100000", WEB_DIST_DIR: webDist });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
    rmSync(webDist, { recursive: true, force: true });
  });

  const expectHeaders = (reply: { headers: Headers }, label: string) => {
    expect(missingSecurityHeaders(reply.headers, label)).toEqual([]);
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
    // A JSON answer opened in a browser may load and run nothing.
    expect(me.headers.get("content-security-policy")).toBe("default-src 'none'; frame-ancestors 'none'");
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
      const reply: Reply<unknown> = await call(server.url, method, path, options);
      expect([path, reply.status >= 400]).toEqual([path, true]);
      expectHeaders(reply, `${method} ${path} ${reply.status}`);
    }
  });

  it("on the probes, the API reference and the web client, whose pages no other site may frame", async () => {
    for (const where of ["/health", "/metrics", "/api/docs", "/api/docs/assets/init.js", "/", "/s/some-token"]) {
      const res = await fetch(`${server.origin}${where}`);
      await res.text();
      expect(missingSecurityHeaders(res.headers, `${where} (${res.status})`)).toEqual([]);
    }
    // The web client's own scripts and styles stay allowed: only framing is refused on its pages.
    const page = await fetch(`${server.origin}/`);
    expect(await page.text()).toContain("<title>Coffer</title>");
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toBe("frame-ancestors 'none'");
    const asset = await fetch(`${server.origin}/assets/app.js`);
    await asset.text();
    expect(missingSecurityHeaders(asset.headers, "asset")).toEqual([]);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  });

  it("on what Node refuses before the app sees it (headers too large)", async () => {
    const http = createHttpServer(createApp(deps), deps.config).listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => http.once("listening", resolve));
    try {
      const { port } = http.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/api/me`, { headers: { "X-Big": "x".repeat(20_000) } });
      await res.text();
      expect(res.status).toBe(431);
      expectHeaders(res, "431");
    } finally {
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});

describe("Strict-Transport-Security", () => {
  it("is sent when APP_URL is https, and is absent over http (checked above)", async () => {
    useAccountsTestEnv({ APP_URL: "https://coffer.example.com", API_URL: "https://coffer.example.com/api" });
    const deps = await createTestDeps();
    const server = await startTestServer(deps);
    try {
      for (const where of [`${server.url}/me`, `${server.origin}/health`, `${server.url}/openapi.json`]) {
        const res = await fetch(where);
        await res.text();
        expect(missingSecurityHeaders(res.headers, where, { https: true })).toEqual([]);
        expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000");
      }
    } finally {
      await server.close();
      await closeDeps(deps);
    }
  });
});
