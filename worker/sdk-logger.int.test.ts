import { readFile } from "node:fs/promises";
import { createUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { randomBytesOf, uploadFile, waitForStatus } from "../test/uploads";
import { spawnWorker, type WorkerProcess } from "../test/worker-process";

describe("the worker's log lines", () => {
  let bed: FilesTestbed;
  let worker: WorkerProcess;
  beforeAll(async () => {
    bed = await startFilesTestbed({}, { worker: false });
    // Trace: every line the SDK writes about activity tasks, the task token's usual carriers included.
    worker = await spawnWorker({ TEMPORAL_TASK_QUEUE: bed.taskQueue, LOG_LEVEL: "trace" });
  });
  afterAll(async () => {
    worker.child.kill("SIGTERM");
    await worker.exited;
    await bed.close();
  });

  it("describe the activities they come from but never carry a task token", async () => {
    const user = await createUser(bed.deps);
    const { fileId } = await uploadFile(bed.server.url, user, "logged.txt", randomBytesOf(4096));
    await waitForStatus(bed.server.url, user, fileId, ["ready"], 60_000);
    worker.child.kill("SIGTERM");
    await worker.exited;

    const text = await readFile(worker.logFile, "utf8");
    const lines = text
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    // The scan runs as scanAndMarkReady (the ready-in-scan patch): its lines name that activity.
    const scanLines = lines.filter((line) => line.activityType === "scanAndMarkReady");
    expect(scanLines.map((line) => line.msg)).toContain("scan finished");
    expect(scanLines[0]).toMatchObject({ workflowId: `file-lifecycle-${fileId}`, attempt: 1 });
    expect(text).not.toMatch(/taskToken/i);
  });
});
