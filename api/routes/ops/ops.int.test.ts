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
  /** Code and body together: a failure names the check that was down. */
  const health = async (res: Response) => ({ code: res.status, body: await res.json() });

  it("answers 200 with every check up, and echoes X-Request-Id", async () => {
    const res = await fetch(`${server.origin}/health`, { headers: { "X-Request-Id": "trace-123" } });
    expect(await health(res)).toEqual({ code: 200, body: { status: "ok", checks: allUp } });
    expect(res.headers.get("x-request-id")).toBe("trace-123");
  });

  it("answers 503 naming clamav while clamd is stopped, and 200 once it is back", async () => {
    await stopService("clamav");
    try {
      const down = await fetch(`${server.origin}/health`);
      expect(await health(down)).toEqual({
        code: 503,
        body: { status: "degraded", checks: { ...allUp, clamav: "down" } },
      });
    } finally {
      await startService("clamav");
    }
    const up = await fetch(`${server.origin}/health`);
    expect(await health(up)).toEqual({ code: 200, body: { status: "ok", checks: allUp } });
  });

  it("serves request_duration_seconds by route, method and code", async () => {
    await fetch(`${server.origin}/health`);
    const res = await fetch(`${server.origin}/metrics`);
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
    const res = await fetch(`${server.origin}/health`, { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
  });
});
