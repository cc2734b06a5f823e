import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import Router from "@koa/router";
import { Redis } from "ioredis";
import Koa from "koa";
import { call, randomIp, useAccountsTestEnv } from "../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../test/deps";
import { createUser } from "../../test/factories";
import type { AppExtensions, AppState } from "../context";
import type { AppDeps } from "../deps";
import { requireUser } from "./auth";
import { errorHandler } from "./error-handler";
import { rateLimit } from "./rate-limit";
import { requestId } from "./request-id";

const resend = (url: string, headers: Record<string, string> = {}) =>
  call(url, "POST", "/auth/resend-verification", { body: { email: "nobody@example.com" }, headers });

describe("rate limits", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv({
      RATE_LIMIT_AUTH_PER_MINUTE: "5",
      RATE_LIMIT_UPLOAD_PER_MINUTE: "3",
      RATE_LIMIT_PUBLIC_PER_MINUTE: "4",
    });
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  it("answers the sixth auth request from one IP within the window with 429, Retry-After and RateLimit headers; another IP passes", async () => {
    const ip = randomIp();
    for (let i = 0; i < 5; i++) {
      const reply = await resend(server.url, { "X-Forwarded-For": ip });
      expect(reply.status).toBe(202);
      expect(reply.headers.get("ratelimit-limit")).toBe("5");
      expect(reply.headers.get("ratelimit-remaining")).toBe(String(4 - i));
      expect(Number(reply.headers.get("ratelimit-reset"))).toBeGreaterThanOrEqual(1);
      expect(Number(reply.headers.get("ratelimit-reset"))).toBeLessThanOrEqual(60);
    }
    const limited = await resend(server.url, { "X-Forwarded-For": ip });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      error: { code: "rate_limited", message: expect.any(String), details: { retryAfterSeconds: expect.any(Number) } },
      requestId: limited.headers.get("x-request-id"),
    });
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.headers.get("ratelimit-remaining")).toBe("0");

    // Every /auth route shares the budget.
    const login = await call(server.url, "POST", "/auth/login", { body: { email: "a@b.co", password: "x" }, ip });
    expect(login.status).toBe(429);

    expect((await resend(server.url, { "X-Forwarded-For": randomIp() })).status).toBe(202);
  });

  it("counts the address our proxy appended, not one the client put in front of it", async () => {
    const ip = randomIp();
    for (let i = 0; i < 5; i++)
      expect((await resend(server.url, { "X-Forwarded-For": `${randomIp()}, ${ip}` })).status).toBe(202);
    expect((await resend(server.url, { "X-Forwarded-For": `${randomIp()}, ${ip}` })).status).toBe(429);
  });

  it("ignores X-Forwarded-For without TRUST_PROXY: every request counts against the socket's address", async () => {
    const plain = {
      ...deps,
      config: { ...deps.config, TRUST_PROXY: false, RATE_LIMIT_PREFIX: `coffer:test:${randomUUID()}` },
    };
    const plainServer = await startTestServer(plain);
    try {
      for (let i = 0; i < 5; i++)
        expect((await resend(plainServer.url, { "X-Forwarded-For": randomIp() })).status).toBe(202);
      expect((await resend(plainServer.url, { "X-Forwarded-For": randomIp() })).status).toBe(429);
    } finally {
      await plainServer.close();
    }
  });

  it("lets requests through when Redis is unreachable (the limiter must not take the API down)", async () => {
    const redis = new Redis("redis://127.0.0.1:1", { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 500 });
    const offline = { ...deps, redis, config: { ...deps.config, RATE_LIMIT_AUTH_PER_MINUTE: 1 } };
    const offlineServer = await startTestServer(offline);
    try {
      for (let i = 0; i < 3; i++)
        expect((await resend(offlineServer.url, { "X-Forwarded-For": "10.9.9.9" })).status).toBe(202);
    } finally {
      await offlineServer.close();
      redis.disconnect();
    }
  });

  it('counts "upload" per user (after requireUser) and "public" per IP', async () => {
    const app = new Koa<AppState, AppExtensions>({ proxy: true, maxIpsCount: 1 });
    app.context.deps = deps;
    app.silent = true;
    const router = new Router<AppState, AppExtensions>();
    router.post("/upload", requireUser(), rateLimit("upload"), (ctx) => {
      ctx.status = 204;
    });
    router.get("/public", rateLimit("public"), (ctx) => {
      ctx.status = 204;
    });
    app.use(requestId()).use(errorHandler()).use(router.routes());
    const listener = app.listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => listener.once("listening", resolve));
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
    try {
      const alice = await createUser(deps);
      const bob = await createUser(deps);
      for (let i = 0; i < 3; i++)
        expect((await call(url, "POST", "/upload", { token: alice.token, ip: randomIp() })).status).toBe(204);
      const limited = await call(url, "POST", "/upload", { token: alice.token, ip: randomIp() });
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ error: { code: "rate_limited" } });
      expect((await call(url, "POST", "/upload", { token: bob.token })).status).toBe(204);

      const ip = randomIp();
      for (let i = 0; i < 4; i++) expect((await call(url, "GET", "/public", { ip })).status).toBe(204);
      expect((await call(url, "GET", "/public", { ip })).status).toBe(429);
      expect((await call(url, "GET", "/public", { ip: randomIp() })).status).toBe(204);
    } finally {
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    }
  });
});
