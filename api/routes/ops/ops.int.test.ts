import type { AppDeps } from "../../deps";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { startService, stopService } from "../../../test/stack";

describe("GET /health and GET /metrics", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const allUp = { db: "up", redis: "up", s3: "up", clamav: "up", temporal: "up" };

  it("answers 200 with every check up, and echoes X-Request-Id", async () => {
    const res = await fetch(`${server.url}/health`, { headers: { "X-Request-Id": "trace-123" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("trace-123");
    expect(await res.json()).toEqual({ status: "ok", checks: allUp });
  });

  it("answers 503 naming clamav while clamd is stopped, and 200 once it is back", async () => {
    await stopService("clamav");
    try {
      const down = await fetch(`${server.url}/health`);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ status: "degraded", checks: { ...allUp, clamav: "down" } });
    } finally {
      await startService("clamav");
    }
    const up = await fetch(`${server.url}/health`);
    expect(up.status).toBe(200);
  });

  it("serves request_duration_seconds by route, method and code", async () => {
    await fetch(`${server.url}/health`);
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/request_duration_seconds_count\{route="\/health",method="GET",code="200"\} \d+/);
  });

  it("answers an unknown route with the error body and a generated request id", async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    const requestId = res.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ error: { code: "not_found", message: "No such route." }, requestId });
  });

  it("answers a wrong method with 405 and the error body", async () => {
    const res = await fetch(`${server.url}/health`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });
});
