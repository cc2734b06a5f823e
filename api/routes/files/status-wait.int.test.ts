import { randomUUID } from "node:crypto";
import { markFileReady } from "../../../db/commands/files/lifecycle";
import { File } from "../../../db/models";
import { fileKey } from "../../../lib/object-keys";
import { createLogger } from "../../../lib/logger";
import { call } from "../../../test/accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "../../../test/deps";
import { createUser, type TestUser } from "../../../test/factories";
import type { AppDeps } from "../../deps";
import { FileStatusWaits } from "../../file-status-waits";

type FileReply = { file: { id: string; status: string } };

describe("GET /files/:id?waitSeconds= answers when the scan's outcome is in", () => {
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

  const processingFile = async (owner: TestUser) => {
    const id = randomUUID();
    await File.query(deps.db).insert({
      id,
      ownerId: owner.user.id,
      name: "photo.jpg",
      sizeBytes: 10,
      s3Key: fileKey({ ownerId: owner.user.id, id }),
      status: "processing",
    });
    return id;
  };

  it("wakes a waiting request when the file turns ready", async () => {
    const owner = await createUser(deps);
    const id = await processingFile(owner);
    const waiting = call<FileReply>(server.url, "GET", `/files/${id}?waitSeconds=20`, { token: owner.token });
    // The request is parked on the file (the API looked once and found it processing) before the change.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await markFileReady(deps.db, id, "0".repeat(64)))?.status).toBe("ready");
    const reply = await waiting;
    expect(reply.status).toBe(200);
    expect(reply.body.file).toMatchObject({ id, status: "ready" });
  });

  it("is woken by the announcement, not by looking again", async () => {
    const owner = await createUser(deps);
    const id = await processingFile(owner);
    // Rechecks only every 10 minutes: within the 20 s wait only the trigger's announcement can end it early.
    const waits = new FileStatusWaits(
      deps.config.DATABASE_URL,
      createLogger({ level: "silent", name: "test" }),
      600_000,
    );
    try {
      let looks = 0;
      const stillProcessing = async () => {
        looks++;
        return (await File.query(deps.db).findById(id))!.status === "processing";
      };
      const waited = waits.waitWhile(id, stillProcessing, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await markFileReady(deps.db, id, "0".repeat(64));
      await waited;
      expect((await File.query(deps.db).findById(id))!.status).toBe("ready");
      // Once on arrival, once when announced.
      expect(looks).toBe(2);
    } finally {
      await waits.close();
    }
  });

  it("answers the file as it is when the wait runs out, and at once when it is not processing", async () => {
    const owner = await createUser(deps);
    const id = await processingFile(owner);
    const expired = await call<FileReply>(server.url, "GET", `/files/${id}?waitSeconds=1`, { token: owner.token });
    expect(expired.body.file.status).toBe("processing");
    await markFileReady(deps.db, id, "0".repeat(64));
    const ready = await call<FileReply>(server.url, "GET", `/files/${id}?waitSeconds=25`, { token: owner.token });
    expect(ready.body.file.status).toBe("ready");
  });

  it("refuses a wait out of range, and never waits on another user's file", async () => {
    const owner = await createUser(deps);
    const other = await createUser(deps);
    const id = await processingFile(owner);
    for (const wait of ["26", "-1", "1.5", "soon"]) {
      const reply = await call<{ error: { code: string } }>(server.url, "GET", `/files/${id}?waitSeconds=${wait}`, {
        token: owner.token,
      });
      expect([wait, reply.status, reply.body.error.code]).toEqual([wait, 400, "validation_failed"]);
    }
    const foreign = await call<{ error: { code: string } }>(server.url, "GET", `/files/${id}?waitSeconds=25`, {
      token: other.token,
    });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, "not_found"]);
  });
});
