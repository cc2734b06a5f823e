import { randomUUID } from "node:crypto";
import { WorkflowNotFoundError } from "@temporalio/client";
import { AuditEntry, File, User } from "../../../db/models";
import { fileLifecycleId } from "../../../lib/file-lifecycle";
import type { UploadHousekeepingReport } from "../../../lib/housekeeping";
import { call, useAccountsTestEnv } from "../../../test/accounts";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import {
  expectReported,
  housekeepingTestSettings,
  multipartUploadsOf,
  plantFile,
  snapshotOf,
} from "../../../test/housekeeping";
import { initUpload, waitForStatus } from "../../../test/uploads";

const MiB = 1024 * 1024;

/** An upload idle for 3 hours, a multipart upload no row knows, and a file stuck in processing. */
async function plantWork(bed: FilesTestbed, user: TestUser) {
  const init = await initUpload(bed.server.url, user, "idle.bin", 6 * MiB);
  const staleId: string = init.body.file.id;
  await bed.deps
    .db("files")
    .where({ id: staleId })
    .update({ lastHeartbeatAt: new Date(Date.now() - 3 * 3600 * 1000) });
  const orphanKey = `${user.user.id}/${randomUUID()}`;
  await bed.deps.storage.createMultipartUpload(orphanKey, "application/octet-stream");
  const stuck = await plantFile(bed, user.user.id, { status: "processing" });
  return { staleId, orphanKey, stuckId: stuck.id };
}

describe("POST /admin/uploads/cleanup", () => {
  let bed: FilesTestbed;
  let admin: TestUser;
  beforeAll(async () => {
    useAccountsTestEnv();
    bed = await startFilesTestbed({
      ...housekeepingTestSettings,
      UPLOAD_STALE_MINUTES: "120",
      MULTIPART_ORPHAN_MIN_AGE_MINUTES: "0",
    });
    admin = await createUser(bed.deps, { role: "admin" });
  });
  afterAll(async () => {
    await bed.close();
  });

  const cleanup = (body: unknown, token = admin.token) =>
    call(bed.server.url, "POST", "/admin/uploads/cleanup", { body, token });

  it("answers 404 to non-admins, as if the route did not exist, and 401 without a token", async () => {
    const { token } = await createUser(bed.deps);
    const reply = await cleanup({ dryRun: true }, token);
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({
      error: { code: "not_found", message: "No such route." },
      requestId: expect.any(String),
    });
    expect((await call(bed.server.url, "POST", "/admin/uploads/cleanup", { body: { dryRun: true } })).status).toBe(401);
  });

  it("answers 400 with the error body to bad input", async () => {
    for (const body of [
      {},
      { dryRun: "yes" },
      { dryRun: 1 },
      { dryRun: null },
      { dryRun: true, force: true },
      [],
      "dryRun",
    ]) {
      const reply = await cleanup(body);
      expect([reply.status, body]).toEqual([400, body]);
      expect(reply.body).toMatchObject({
        error: {
          code: expect.stringMatching(/^(validation_failed|invalid_json|bad_request)$/),
          message: expect.any(String),
        },
        requestId: expect.any(String),
      });
      expect(Object.keys(reply.body)).toEqual(["error", "requestId"]);
    }
    const raw = await call(bed.server.url, "POST", "/admin/uploads/cleanup", { raw: '{"dryRun":', token: admin.token });
    expect(raw.status).toBe(400);
    expect(raw.body).toMatchObject({ error: { code: "invalid_json" }, requestId: expect.any(String) });
    expect((await call(bed.server.url, "GET", "/admin/uploads/cleanup", { token: admin.token })).status).toBe(405);
  });

  it("with dryRun reports what it would do and changes nothing in the database or the bucket", async () => {
    const user = await createUser(bed.deps);
    const work = await plantWork(bed, user);
    const before = await snapshotOf(bed, [user.user.id]);

    const reply = await cleanup({ dryRun: true });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ dryRun: true, finished: true, workflowId: expect.any(String) });
    const { report } = reply.body as { report: UploadHousekeepingReport };
    expectReported(report.staleUploads, [work.staleId]);
    expectReported(report.orphanMultipartUploads, [work.orphanKey]);
    expectReported(report.restartedLifecycles, [work.stuckId]);

    expect(await snapshotOf(bed, [user.user.id])).toEqual(before);
    await expect(bed.deps.temporal.workflow.getHandle(fileLifecycleId(work.stuckId)).describe()).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );

    // The same request without dryRun does it.
    const real = await cleanup({ dryRun: false });
    expect(real.status).toBe(200);
    expect(real.body).toMatchObject({ dryRun: false, finished: true });
    const done = (real.body as { report: UploadHousekeepingReport }).report;
    expectReported(done.staleUploads, [work.staleId]);
    expectReported(done.orphanMultipartUploads, [work.orphanKey]);
    expectReported(done.restartedLifecycles, [work.stuckId]);
    expect((await File.query(bed.deps.db).findById(work.staleId))!.status).toBe("failed");
    expect((await User.query(bed.deps.db).findById(user.user.id))!.reservedBytes).toBe(0);
    expect(await multipartUploadsOf(bed, user.user.id)).toEqual([]);
    await waitForStatus(bed.server.url, user, work.stuckId, ["ready"]);
    const audit = await AuditEntry.query(bed.deps.db).where({
      actorId: admin.user.id,
      action: "housekeeping.requested",
    });
    expect(audit.map((entry) => entry.details.workflowId)).toContain((real.body as { workflowId: string }).workflowId);
  });
});

describe("POST /admin/uploads/cleanup when the run takes longer than the wait", () => {
  let bed: FilesTestbed;
  beforeAll(async () => {
    useAccountsTestEnv();
    // No worker polls this testbed's queue: the run cannot finish.
    bed = await startFilesTestbed(
      { ...housekeepingTestSettings, ADMIN_CLEANUP_TIMEOUT_SECONDS: "1" },
      { worker: false },
    );
  });
  afterAll(async () => {
    await bed.close();
  });

  it("answers 202 with the workflow id, and the run goes on", async () => {
    const admin = await createUser(bed.deps, { role: "admin" });
    const reply = await call<{ workflowId: string; finished: boolean; report: unknown }>(
      bed.server.url,
      "POST",
      "/admin/uploads/cleanup",
      {
        body: { dryRun: true },
        token: admin.token,
      },
    );
    expect(reply.status).toBe(202);
    expect(reply.body).toMatchObject({ finished: false, report: null, dryRun: true });
    const handle = bed.deps.temporal.workflow.getHandle(reply.body.workflowId);
    expect((await handle.describe()).status.name).toBe("RUNNING");
    await handle.terminate("test over");
  });
});
