import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Client } from "pg";
import type { AppDeps } from "../../deps";
import { User } from "../../../db/models";
import { isStorageOutage, Storage } from "../../../lib/s3";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser } from "../../../test/factories";
import { startAppWithStorageAway, unreachableStorage } from "../../../test/storage-away";
import { api } from "../../../test/uploads";

/** What a client gets while S3 (MinIO) is down: a 503 it may retry, never a 500. */
describe("requests that need the object store while it is down", () => {
  let deps: AppDeps;
  let server: TestServer;
  let away: Awaited<ReturnType<typeof startAppWithStorageAway>>;
  beforeAll(async () => {
    deps = await createTestDeps();
    server = await startTestServer(deps);
    away = await startAppWithStorageAway(deps);
  });
  afterAll(async () => {
    await away.close();
    await server.close();
    await closeDeps(deps);
  });

  const expectStorageUnavailable = (reply: Awaited<ReturnType<typeof api>>) => {
    expect(reply.status).toBe(503);
    expect(reply.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(reply.body).toEqual({
      error: {
        code: "storage_unavailable",
        message: expect.any(String),
        details: { retryAfterSeconds: expect.any(Number) },
      },
      requestId: expect.any(String),
    });
  };

  it("answers an upload init 503 storage_unavailable with Retry-After, and reserves nothing", async () => {
    const user = await createUser(deps);
    const init = await api(away.url, "POST", "/files/uploads", { user, body: { name: "later.bin", sizeBytes: 10 } });
    expectStorageUnavailable(init);
    expect((await User.query(deps.db).findById(user.user.id))!.reservedBytes).toBe(0);
  });

  it("answers 503 when the parts of an open upload cannot be listed, and the upload stays open", async () => {
    const user = await createUser(deps);
    const init = await api(server.url, "POST", "/files/uploads", { user, body: { name: "open.bin", sizeBytes: 10 } });
    expect(init.status).toBe(201);
    const fileId = init.body.file.id;
    expectStorageUnavailable(await api(away.url, "GET", `/files/${fileId}/parts`, { user }));
    const complete = await api(away.url, "POST", `/files/${fileId}/complete`, {
      user,
      body: { parts: [{ partNumber: 1, etag: '"0123456789abcdef0123456789abcdef"' }] },
    });
    expectStorageUnavailable(complete);
    expect((await api(server.url, "GET", `/files/${fileId}`, { user })).body.file.status).toBe("uploading");
  });

  it("tells an outage of the object store from its refusals and from a database outage", async () => {
    const unreachable = unreachableStorage(deps);
    try {
      expect(isStorageOutage(await unreachable.objectSize("any/key").catch((error: unknown) => error))).toBe(true);
    } finally {
      unreachable.destroy();
    }
    // An S3 that answers, but with 500 (as MinIO does while its disks are away).
    const broken = createServer((_, res) =>
      res
        .writeHead(500, { "Content-Type": "application/xml" })
        .end("<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>"),
    );
    await new Promise<void>((resolve) => broken.listen(0, "127.0.0.1", resolve));
    const failing = new Storage({
      endpoint: `http://127.0.0.1:${(broken.address() as AddressInfo).port}`,
      region: deps.config.S3_REGION,
      accessKeyId: deps.config.S3_ACCESS_KEY,
      secretAccessKey: deps.config.S3_SECRET_KEY,
      bucket: deps.config.S3_BUCKET,
    });
    try {
      expect(isStorageOutage(await failing.getObject("any/key").catch((error: unknown) => error))).toBe(true);
    } finally {
      failing.destroy();
      await new Promise((resolve) => broken.close(resolve));
    }
    const missing = await deps.storage.getObject("no/such/key").catch((error: unknown) => error);
    expect(isStorageOutage(missing)).toBe(false);
    const db = new Client({ connectionString: "postgres://postgres@127.0.0.1:1/none" });
    const dbDown = await db.connect().catch((error: unknown) => error);
    expect(isStorageOutage(dbDown)).toBe(false);
  });
});
