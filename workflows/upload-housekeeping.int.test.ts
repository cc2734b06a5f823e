import { randomUUID } from "node:crypto";
import { WorkflowNotFoundError } from "@temporalio/client";
import { AuditEntry, File, UploadEvent, User } from "../db/models";
import { fileLifecycleId } from "../lib/file-lifecycle";
import {
  UPLOAD_HOUSEKEEPING_WORKFLOW,
  type UploadHousekeepingReport,
  uploadHousekeepingInput,
} from "../lib/housekeeping";
import { isMissing } from "../lib/s3";
import { createUser, type TestUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import {
  expectReported,
  housekeepingTestSettings,
  multipartUploadsOf,
  plantFile,
  runUploadHousekeeping,
} from "../test/housekeeping";
import { api, initUpload, putParts, randomBytesOf, uploadFile, waitForStatus } from "../test/uploads";
import { startWorkflow } from "../lib/workflow-start";

const MiB = 1024 * 1024;
const HOUR = 3600 * 1000;

describe("upload housekeeping", () => {
  let bed: FilesTestbed;
  beforeAll(async () => {
    // Stale after 2 h: uploads other test files leave behind are younger, so only ours qualify.
    bed = await startFilesTestbed({
      ...housekeepingTestSettings,
      UPLOAD_STALE_MINUTES: "120",
      MULTIPART_ORPHAN_MIN_AGE_MINUTES: "0",
      MAX_CONCURRENT_UPLOADS: "10",
    });
  });
  afterAll(async () => {
    await bed.close();
  });

  const reservedOf = async (user: TestUser) => (await User.query(bed.deps.db).findById(user.user.id))!.reservedBytes;
  const backdateHeartbeat = (fileId: string, ms: number) =>
    bed.deps
      .db("files")
      .where({ id: fileId })
      .update({ lastHeartbeatAt: new Date(Date.now() - ms) });
  const uploadExists = async (key: string, uploadId: string) =>
    bed.deps.storage.listParts(key, uploadId).then(
      () => true,
      (error: unknown) => {
        if (isMissing(error)) return false;
        throw error;
      },
    );

  it("aborts a stale upload and releases its reservation, and leaves a live one alone", async () => {
    const user = await createUser(bed.deps);
    const url = bed.server.url;
    const staleBytes = randomBytesOf(7 * MiB);
    const liveBytes = randomBytesOf(6 * MiB);
    const stale = (await initUpload(url, user, "stale.bin", staleBytes.length)).body;
    const live = (await initUpload(url, user, "live.bin", liveBytes.length)).body;
    await putParts(url, user, stale.file.id, staleBytes, stale.partSize, [1]);
    const liveParts = await putParts(url, user, live.file.id, liveBytes, live.partSize, [1, 2]);
    expect(await reservedOf(user)).toBe(13 * MiB);

    await backdateHeartbeat(stale.file.id, 3 * HOUR);
    await backdateHeartbeat(live.file.id, 3 * HOUR);
    expect((await api(url, "POST", `/files/${live.file.id}/heartbeat`, { user })).status).toBe(204);

    const staleRow = (await File.query(bed.deps.db).findById(stale.file.id))!;
    const report = await runUploadHousekeeping(bed);
    expect(report.dryRun).toBe(false);
    expectReported(report.staleUploads, [stale.file.id]);
    expect(report.staleUploads.sample).not.toContain(live.file.id);

    const aborted = (await File.query(bed.deps.db).findById(stale.file.id))!;
    expect({ status: aborted.status, reason: aborted.statusReason }).toEqual({ status: "failed", reason: "stale" });
    expect(await uploadExists(staleRow.s3Key, staleRow.uploadId!)).toBe(false);
    expect(await reservedOf(user)).toBe(6 * MiB);
    const events = await UploadEvent.query(bed.deps.db).where({ fileId: stale.file.id }).orderBy("id");
    expect(events.map((event) => [event.type, event.reason])).toEqual([
      ["initiated", null],
      ["failed", "stale"],
    ]);
    expect(
      await AuditEntry.query(bed.deps.db).where({ targetId: stale.file.id, action: "upload.failed" }),
    ).toHaveLength(1);

    // A second run finds nothing more to do and releases nothing twice.
    await runUploadHousekeeping(bed);
    expect(await reservedOf(user)).toBe(6 * MiB);
    expect(await UploadEvent.query(bed.deps.db).where({ fileId: stale.file.id, type: "failed" })).toHaveLength(1);

    // The live upload still completes.
    const complete = await api(url, "POST", `/files/${live.file.id}/complete`, { user, body: { parts: liveParts } });
    expect(complete.status).toBe(202);
    await waitForStatus(url, user, live.file.id, ["ready"]);
    const owner = (await User.query(bed.deps.db).findById(user.user.id))!;
    expect({ used: owner.usedBytes, reserved: owner.reservedBytes }).toEqual({ used: 6 * MiB, reserved: 0 });
    const uploadHeartbeat = await api(url, "POST", `/files/${stale.file.id}/heartbeat`, { user });
    expect(uploadHeartbeat.status).toBe(409);
  });

  it("ends a stale upload whose owner's reservation drifted below its size, instead of retrying forever", async () => {
    const user = await createUser(bed.deps);
    const staleBytes = 6 * MiB;
    const stale = (await initUpload(bed.server.url, user, "drifted.bin", staleBytes)).body;
    // Drift the invariant checker would report: the counter says less is reserved than this upload holds.
    await User.query(bed.deps.db).patch({ reservedBytes: MiB }).where({ id: user.user.id });
    await backdateHeartbeat(stale.file.id, 3 * HOUR);

    const report = await runUploadHousekeeping(bed);
    expectReported(report.staleUploads, [stale.file.id]);
    expect((await File.query(bed.deps.db).findById(stale.file.id))!.status).toBe("failed");
    expect(await reservedOf(user)).toBe(0);
  });

  it("aborts multipart uploads no open upload knows, only under our users' prefixes", async () => {
    const user = await createUser(bed.deps);
    const { storage } = bed.deps;
    const orphanKey = `${user.user.id}/${randomUUID()}`;
    const orphanId = await storage.createMultipartUpload(orphanKey, "application/octet-stream");
    const foreignKey = `${randomUUID()}/${randomUUID()}`;
    const foreignId = await storage.createMultipartUpload(foreignKey, "application/octet-stream");
    const open = (await initUpload(bed.server.url, user, "open.bin", 6 * MiB)).body;
    const openRow = (await File.query(bed.deps.db).findById(open.file.id))!;
    try {
      const report = await runUploadHousekeeping(bed);
      expectReported(report.orphanMultipartUploads, [orphanKey]);
      expect(report.orphanMultipartUploads.sample).not.toContain(foreignKey);
      expect(await uploadExists(orphanKey, orphanId)).toBe(false);
      expect(await uploadExists(foreignKey, foreignId)).toBe(true);
      expect(await uploadExists(openRow.s3Key, openRow.uploadId!)).toBe(true);
      expect(await multipartUploadsOf(bed, user.user.id)).toEqual([`${openRow.s3Key} ${openRow.uploadId}`]);
    } finally {
      await storage.abortMultipartUpload(foreignKey, foreignId);
    }
  });

  it("starts FileLifecycle for files left in processing without a running one, and they end ready", async () => {
    const user = await createUser(bed.deps);
    // Never started: complete committed, the start failed.
    const orphaned = await plantFile(bed, user.user.id, { status: "processing", bytes: randomBytesOf(64 * 1024) });
    // Started and finished, then found in processing again.
    const { fileId: settledId } = await uploadFile(bed.server.url, user, "again.bin", randomBytesOf(32 * 1024));
    await waitForStatus(bed.server.url, user, settledId, ["ready"]);
    await bed.deps.db("files").where({ id: settledId }).update({ status: "processing", sha256: null });
    const usedBefore = (await User.query(bed.deps.db).findById(user.user.id))!.usedBytes;

    const report = await runUploadHousekeeping(bed);
    expectReported(report.restartedLifecycles, [orphaned.id, settledId]);
    for (const fileId of [orphaned.id, settledId]) {
      const file = await waitForStatus(bed.server.url, user, fileId, ["ready"]);
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result()).toBe("ready");
    }
    expect((await User.query(bed.deps.db).findById(user.user.id))!.usedBytes).toBe(usedBefore);

    // Nothing is stuck any more: the next run starts nothing for these files.
    const again = await runUploadHousekeeping(bed);
    expect(again.restartedLifecycles.sample).not.toContain(orphaned.id);
    expect(again.restartedLifecycles.sample).not.toContain(settledId);
  });

  it("with dryRun reports a stuck file but starts nothing", async () => {
    const user = await createUser(bed.deps);
    const stuck = await plantFile(bed, user.user.id, { status: "processing" });
    try {
      const report = await runUploadHousekeeping(bed, { dryRun: true });
      expect(report.dryRun).toBe(true);
      expectReported(report.restartedLifecycles, [stuck.id]);
      await expect(bed.deps.temporal.workflow.getHandle(fileLifecycleId(stuck.id)).describe()).rejects.toBeInstanceOf(
        WorkflowNotFoundError,
      );
      expect((await File.query(bed.deps.db).findById(stuck.id))!.status).toBe("processing");
    } finally {
      await runUploadHousekeeping(bed);
      await waitForStatus(bed.server.url, user, stuck.id, ["ready"]);
    }
  });

  it("pages through many stale uploads in small batches across continued runs, releasing each reservation once", async () => {
    const user = await createUser(bed.deps);
    const fileIds: string[] = [];
    for (let i = 0; i < 7; i++) {
      const init = await initUpload(bed.server.url, user, `many-${i}.bin`, MiB + i);
      fileIds.push(init.body.file.id);
    }
    await Promise.all(fileIds.map((fileId) => backdateHeartbeat(fileId, 3 * HOUR)));
    expect(await reservedOf(user)).toBe(7 * MiB + 21);

    const handle = await startWorkflow(bed.deps.temporal, UPLOAD_HOUSEKEEPING_WORKFLOW, {
      taskQueue: bed.taskQueue,
      workflowId: `test-upload-housekeeping-${randomUUID()}`,
      args: [{ ...uploadHousekeepingInput(bed.deps.config), batchSize: 2, maxHistoryEvents: 12 }],
    });
    const report = (await handle.result()) as UploadHousekeepingReport;
    // The history grew past its limit, so the run went on as a new one, carrying its tallies.
    expect(
      (await bed.deps.temporal.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe()).status
        .name,
    ).toBe("CONTINUED_AS_NEW");
    expect(report.staleUploads.count).toBeGreaterThanOrEqual(7);
    expectReported(report.staleUploads, fileIds);
    const files = await File.query(bed.deps.db).whereIn("id", fileIds);
    expect(files.map((file) => file.status)).toEqual(fileIds.map(() => "failed"));
    expect(await reservedOf(user)).toBe(0);
    expect(await multipartUploadsOf(bed, user.user.id)).toEqual([]);
  });
});
