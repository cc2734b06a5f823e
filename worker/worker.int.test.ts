import { fileLifecycleId } from "../lib/file-lifecycle";
import { createUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { uploadFile, waitForStatus } from "../test/uploads";
import { spawnWorker, type WorkerProcess } from "../test/worker-process";

// The built worker (dist/worker/main.js) as operators run it: its connection options, tuning and
// workflow bundle all come from the environment.
describe("the worker process", () => {
  let bed: FilesTestbed;
  let worker: WorkerProcess | undefined;
  beforeAll(async () => {
    bed = await startFilesTestbed({}, { worker: false });
  });
  afterAll(async () => {
    if (worker && worker.child.exitCode === null) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    await bed.close();
  });

  it("runs FileLifecycle to ready and exits 0 on SIGTERM", async () => {
    worker = await spawnWorker({
      TEMPORAL_TASK_QUEUE: bed.taskQueue,
      WORKER_MAX_CONCURRENT_ACTIVITIES: "2",
      WORKER_MAX_CACHED_WORKFLOWS: "10",
      WORKER_SHUTDOWN_GRACE_SECONDS: "5",
    });
    const user = await createUser(bed.deps);
    const { fileId, complete } = await uploadFile(bed.server.url, user, "notes.txt", Buffer.from("hello worker\n"));
    expect(complete.status).toBe(202);

    const file = await waitForStatus(bed.server.url, user, fileId, ["ready"], 60_000);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result()).toBe("ready");

    worker.child.kill("SIGTERM");
    await worker.exited;
    expect(worker.child.exitCode).toBe(0);
  });
});
