import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { AuditEntry, UploadEvent, User } from "../db/models";
import { apiPathOf } from "../api/route-table";
import { fileLifecycleId } from "../lib/file-lifecycle";
import { createUser, type TestUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { api, initUpload, putParts, randomBytesOf, waitForStatus } from "../test/uploads";
import { type ApiProcess, spawnApi, spawnWorker, type WorkerProcess } from "../test/worker-process";
import { ensureSchedules, type ScheduleDefinition } from "./schedules";

// Two API processes and two worker processes on one stack, as a scaled-out deployment runs them:
// every upload is started on one API and completed on the other (some on both at once), and the two
// workers share the task queue. Each file must be scanned once, counted once and end ready.
const USERS = 3;
const FILES_PER_USER = 4;
const FIRST_API_PORT = Number(process.env.SCALE_OUT_API_PORT ?? 3700);

describe("two API processes and two workers", () => {
  let bed: FilesTestbed;
  const apis: ApiProcess[] = [];
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    bed = await startFilesTestbed({}, { worker: false });
    for (let i = 0; i < 2; i++) {
      workers.push(await spawnWorker({ TEMPORAL_TASK_QUEUE: bed.taskQueue }));
      apis.push(await spawnApi(FIRST_API_PORT + i));
    }
  });
  afterAll(async () => {
    for (const child of [...apis, ...workers]) {
      if (child.child.exitCode === null) child.child.kill("SIGTERM");
      await child.exited;
    }
    await bed.close();
  });

  const urlOf = (i: number) => `${apis[i % 2].origin}${apiPathOf(bed.deps.config.API_URL)}`;

  async function uploadAcross(user: TestUser, n: number, bothComplete: boolean) {
    const bytes = randomBytesOf(64 * 1024 + n);
    const init = await initUpload(urlOf(n), user, `file-${n}.bin`, bytes.length);
    expect(init.status).toBe(201);
    const fileId: string = init.body.file.id;
    const parts = await putParts(urlOf(n), user, fileId, bytes, init.body.partSize, [1]);
    const complete = (i: number) => api(urlOf(i), "POST", `/files/${fileId}/complete`, { user, body: { parts } });
    const answers = await Promise.all(bothComplete ? [complete(n + 1), complete(n)] : [complete(n + 1)]);
    for (const answer of answers) expect(answer.status).toBe(202);
    return { fileId, size: bytes.length };
  }

  it("scans, counts and finishes every file once", async () => {
    const started = Date.now();
    const users = await Promise.all(Array.from({ length: USERS }, () => createUser(bed.deps)));
    const uploads = await Promise.all(
      users.flatMap((user) =>
        Array.from({ length: FILES_PER_USER }, (_, n) =>
          uploadAcross(user, n, n % 2 === 0).then((upload) => ({ user, ...upload })),
        ),
      ),
    );
    for (const [i, { user, fileId }] of uploads.entries())
      await waitForStatus(urlOf(i), user, fileId, ["ready"], 120_000);
    const seconds = (Date.now() - started) / 1000;

    for (const { fileId } of uploads) {
      const events = await UploadEvent.query(bed.deps.db).where({ fileId }).orderBy("id");
      expect(events.map((event) => event.type)).toEqual(["initiated", "completed", "scanned_clean"]);
      expect(await AuditEntry.query(bed.deps.db).where({ targetId: fileId, action: "file.ready" }).resultSize()).toBe(
        1,
      );
      expect(await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result()).toBe("ready");
    }
    for (const user of users) {
      const owner = await User.query(bed.deps.db).findById(user.user.id);
      const expected = uploads.filter((upload) => upload.user === user).reduce((sum, upload) => sum + upload.size, 0);
      expect({ used: owner!.usedBytes, reserved: owner!.reservedBytes }).toEqual({ used: expected, reserved: 0 });
    }

    if (process.env.SCALE_OUT_REPORT) {
      const scansPerWorker = workers.map(
        (worker) =>
          readFileSync(worker.logFile, "utf8")
            .split("\n")
            .filter((line) => line.includes('"scan finished"')).length,
      );
      writeFileSync(
        process.env.SCALE_OUT_REPORT,
        JSON.stringify({ files: uploads.length, seconds, scansPerWorker }, null, 2),
      );
    }
  });

  it("lets two workers create the same schedules at once: one schedule each, no error", async () => {
    const id = `test-scale-out-${randomUUID()}`;
    const definitions: ScheduleDefinition[] = [
      {
        id,
        every: "1h",
        workflowType: "shareCleanup",
        args: [{ batchSize: 10, revokedRetentionDays: 1, guessWindowSeconds: 60 }],
      },
    ];
    try {
      await Promise.all([
        ensureSchedules(bed.deps.temporal, bed.taskQueue, definitions, bed.deps.logger),
        ensureSchedules(bed.deps.temporal, bed.taskQueue, definitions, bed.deps.logger),
      ]);
      const description = await bed.deps.temporal.schedule.getHandle(id).describe();
      expect(description.action).toMatchObject({ workflowType: "shareCleanup", taskQueue: bed.taskQueue });
    } finally {
      await bed.deps.temporal.schedule.getHandle(id).delete();
    }
  });
});
