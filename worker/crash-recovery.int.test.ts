import { UploadEvent, User } from "../db/models";
import { fileLifecycleId } from "../lib/file-lifecycle";
import { createUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { api, randomBytesOf, uploadFile, waitForStatus } from "../test/uploads";
import { spawnWorker, type WorkerProcess } from "../test/worker-process";

const MiB = 1024 * 1024;

describe("the worker killed while scanning", () => {
  let bed: FilesTestbed;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    bed = await startFilesTestbed({ UPLOAD_PART_BYTES: String(16 * MiB) }, { worker: false });
  });
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    await bed.close();
  });

  const startWorker = async () => {
    const worker = await spawnWorker({ TEMPORAL_TASK_QUEUE: bed.taskQueue });
    workers.push(worker);
    return worker;
  };

  it("finishes the file after a restart, with its bytes counted once", async () => {
    const user = await createUser(bed.deps);
    const bytes = randomBytesOf(1024 * MiB);
    const first = await startWorker();
    const { fileId, complete } = await uploadFile(bed.server.url, user, "large.bin", bytes);
    expect(complete.status).toBe(202);

    // Wait until the scan activity is running on the first worker, then kill it without warning.
    const handle = bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId));
    for (;;) {
      const description = await handle.describe();
      const scanning = description.raw.pendingActivities?.some(
        // scanAndMarkReady since the ready-in-scan patch; scanFile in runs started before it.
        (activity) =>
          ["scanFile", "scanAndMarkReady"].includes(activity.activityType?.name ?? "") && activity.lastStartedTime,
      );
      if (scanning) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await handle.query<string>("step")).toBe("scanning");
    first.child.kill("SIGKILL");
    await first.exited;
    expect((await api(bed.server.url, "GET", `/files/${fileId}`, { user })).body.file.status).toBe("processing");

    await startWorker();
    const file = await waitForStatus(bed.server.url, user, fileId, ["ready"], 120_000);
    expect(file.sizeBytes).toBe(bytes.length);

    const owner = await User.query(bed.deps.db).findById(user.user.id);
    expect({ used: owner!.usedBytes, reserved: owner!.reservedBytes }).toEqual({ used: bytes.length, reserved: 0 });
    const events = await UploadEvent.query(bed.deps.db).where({ fileId }).orderBy("id");
    expect(events.map((event) => event.type)).toEqual(["initiated", "completed", "scanned_clean"]);
    expect(await handle.result()).toBe("ready");
  });
});
