import { randomUUID } from "node:crypto";
import { AuditEntry, File, User } from "../db/models";
import {
  NIGHTLY_MAINTENANCE_WORKFLOW,
  type NightlyMaintenanceReport,
  nightlyMaintenanceInput,
} from "../lib/housekeeping";
import { createUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import {
  DAY,
  housekeepingTestSettings,
  keysOf,
  plantFile,
  runNightlyMaintenance,
  waitUntil,
} from "../test/housekeeping";
import { spawnWorker, type WorkerProcess } from "../test/worker-process";
import { startWorkflow } from "../lib/workflow-start";

// Needs dist/: run `pnpm build` first.
describe("the worker killed in the middle of a purge", () => {
  let bed: FilesTestbed;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    bed = await startFilesTestbed(housekeepingTestSettings, { worker: false });
  });
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    await bed.close();
  });

  const startWorker = async () => {
    const worker = await spawnWorker({ TEMPORAL_TASK_QUEUE: bed.taskQueue, HOUSEKEEPING_HEARTBEAT_TIMEOUT_MS: "3000" });
    workers.push(worker);
    return worker;
  };

  it("finishes on the next worker: every expired file deleted once, its object gone, used_bytes exact", async () => {
    const user = await createUser(bed.deps);
    const uid = user.user.id;
    const expired: File[] = [];
    for (let i = 0; i < 150; i++) {
      const status = i % 10 === 0 ? "quarantined" : "ready";
      expired.push(
        await plantFile(bed, uid, {
          status,
          bytes: Buffer.alloc(100 + i, 3),
          trashedAt: new Date(Date.now() - 40 * DAY),
          withThumbnail: i % 7 === 0,
        }),
      );
    }
    const young = [
      await plantFile(bed, uid, { status: "ready", trashedAt: new Date(Date.now() - DAY) }),
      await plantFile(bed, uid, { status: "ready" }),
    ];
    const usedBefore = (await User.query(bed.deps.db).findById(uid))!.usedBytes;
    const released = expired.filter((file) => file.status === "ready").reduce((sum, file) => sum + file.sizeBytes, 0);
    const remainingExpired = async () =>
      File.query(bed.deps.db)
        .whereIn(
          "id",
          expired.map((file) => file.id),
        )
        .resultSize();

    const first = await startWorker();
    const handle = await startWorkflow(bed.deps.temporal, NIGHTLY_MAINTENANCE_WORKFLOW, {
      taskQueue: bed.taskQueue,
      workflowId: `test-purge-crash-${randomUUID()}`,
      args: [{ ...nightlyMaintenanceInput(bed.deps.config), batchSize: 10, orphanObjectMinAgeMs: 0 }],
    });
    // Kill the worker without warning once the purge is under way but far from done.
    await waitUntil(remainingExpired, (left) => left < expired.length - 10, 60_000);
    first.child.kill("SIGKILL");
    await first.exited;
    const leftAtKill = await remainingExpired();
    expect(leftAtKill).toBeGreaterThan(0);
    expect(leftAtKill).toBeLessThan(expired.length);

    await startWorker();
    const report = (await handle.result()) as NightlyMaintenanceReport;
    expect(await remainingExpired()).toBe(0);
    const deletions = await AuditEntry.query(bed.deps.db)
      .whereIn(
        "targetId",
        expired.map((file) => file.id),
      )
      .where({ action: "file.deleted" });
    expect(deletions).toHaveLength(expired.length);
    // The bytes came out exactly once per file: the reconcile after the purge found no drift.
    expect(report.reconcile.usersCorrected.sample).not.toContain(uid);
    // (A kill between a row's delete and its object's leaves an orphan, which the sweep reports and deletes.)
    const reconciled = await AuditEntry.query(bed.deps.db).where({ targetId: uid, action: "storage.reconciled" });
    expect(reconciled.map((entry) => entry.details.drift)).toEqual(reconciled.map(() => 0));
    expect((await User.query(bed.deps.db).findById(uid))!.usedBytes).toBe(usedBefore - released);
    // Objects a killed delete left behind were swept as orphans: only the young files remain.
    expect(await keysOf(bed, uid)).toEqual(young.map((file) => file.s3Key).sort());

    // Running it all again changes nothing.
    await runNightlyMaintenance(bed, { orphanObjectMinAgeMs: 0 });
    expect((await User.query(bed.deps.db).findById(uid))!.usedBytes).toBe(usedBefore - released);
    expect((await File.query(bed.deps.db).where({ ownerId: uid })).map((file) => file.id).sort()).toEqual(
      young.map((file) => file.id).sort(),
    );
  });
});
