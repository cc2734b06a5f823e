import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { randomIp, useAccountsTestEnv } from "../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../test/deps";
import { createUser } from "../../test/factories";
import type { AppDeps } from "../deps";
import { routeTable } from "../routes";

interface RawReply {
  status: number;
  body: Record<string, unknown>;
}

/** The SPEC §6 error body with this code. */
function expectError(reply: RawReply, status: number, code: string, label: string): void {
  expect([label, reply.status]).toEqual([label, status]);
  expect(reply.body).toEqual({
    error: expect.objectContaining({ code, message: expect.any(String) }),
    requestId: expect.any(String),
  });
}

describe("request bodies: content encodings and JSON-only /auth", () => {
  let deps: AppDeps;
  let server: TestServer;
  let token: string;
  beforeAll(async () => {
    useAccountsTestEnv({ RATE_LIMIT_PUBLIC_PER_MINUTE: "100000" });
    deps = await createTestDeps();
    server = await startTestServer(deps);
    ({ token } = await createUser(deps));
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const send = async (path: string, body: Buffer | string, headers: Record<string, string>): Promise<RawReply> => {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "X-Forwarded-For": randomIp(), ...headers },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  };

  /** Two unauthenticated routes and one authenticated one (the body is parsed before auth runs). */
  const routes = ["/s/no-such-share-token/download", "/auth/resend-verification", "/folders"];
  const authFor = (path: string): Record<string, string> =>
    path === "/folders" ? { Authorization: `Bearer ${token}` } : {};
  const garbage = Buffer.from("this is not compressed at all, just bytes");

  it.each(routes)("%s: a body that is not valid gzip, deflate or br data is a 400, not a 500", async (path) => {
    const auth = authFor(path);
    for (const encoding of ["gzip", "deflate", "br"]) {
      for (const type of ["application/json", "application/x-www-form-urlencoded"]) {
        for (const body of [garbage, gzipSync(Buffer.from('{"name":"x"}')).subarray(0, 12), Buffer.alloc(0)]) {
          const reply = await send(path, body, { ...auth, "Content-Type": type, "Content-Encoding": encoding });
          expectError(reply, 400, "invalid_content_encoding", `${encoding} ${type} ${body.length} bytes`);
        }
      }
    }
  });

  it.each(routes)("%s: an unknown content encoding is a 415", async (path) => {
    const auth = authFor(path);
    for (const encoding of ["compress", "zstd", "x-unknown"]) {
      const reply = await send(path, '{"name":"x"}', {
        ...auth,
        "Content-Type": "application/json",
        "Content-Encoding": encoding,
      });
      expectError(reply, 415, "unsupported_media_type", encoding);
    }
  });

  it("still reads valid gzip, deflate and br bodies, and limits them to 1 MB once inflated", async () => {
    const json = Buffer.from(JSON.stringify({ email: "someone@example.com" }));
    for (const [encoding, body] of [
      ["gzip", gzipSync(json)],
      ["deflate", deflateSync(json)],
      ["br", brotliCompressSync(json)],
    ] as const) {
      const reply = await send("/auth/resend-verification", body, {
        "Content-Type": "application/json",
        "Content-Encoding": encoding,
      });
      expect([encoding, reply.status]).toEqual([encoding, 202]);
    }
    const bomb = gzipSync(Buffer.from(JSON.stringify({ email: "x".repeat(4 * 1024 * 1024) })));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const reply = await send("/auth/resend-verification", bomb, {
      "Content-Type": "application/json",
      "Content-Encoding": "gzip",
    });
    expectError(reply, 413, "payload_too_large", "gzip bomb");
  });

  it("refuses form and text bodies on every /auth route with 415 (login CSRF), however the path is spelled", async () => {
    const paths = routeTable.filter((op) => op.method === "post" && op.path.startsWith("/auth/")).map((op) => op.path);
    expect(paths).toEqual(expect.arrayContaining(["/auth/login", "/auth/register", "/auth/refresh", "/auth/logout"]));
    for (const path of [...paths, "/AUTH/Login", "/Auth/Register", "/auth/login/"]) {
      for (const [type, body] of [
        ["application/x-www-form-urlencoded", "email=someone%40example.com&password=a+long+enough+password"],
        [
          "multipart/form-data; boundary=x",
          '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\nsomeone@example.com\r\n--x--\r\n',
        ],
        ["text/plain", JSON.stringify({ email: "someone@example.com", password: "a long enough password" })],
        ["text/plain;charset=UTF-8", "{}"],
      ]) {
        expectError(await send(path, body, { "Content-Type": type }), 415, "unsupported_media_type", `${path} ${type}`);
      }
    }
  });

  it("keeps accepting a form body on POST /s/:token/download (the public page posts a plain form)", async () => {
    const reply = await send("/s/no-such-share-token/download", "password=secret", {
      "Content-Type": "application/x-www-form-urlencoded",
    });
    expectError(reply, 404, "not_found", "form download");
  });
});
