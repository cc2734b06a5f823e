import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const root = path.resolve(__dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export interface WorkerProcess {
  child: ChildProcess;
  logFile: string;
  /** Resolves once the process has exited, however it ended. */
  exited: Promise<void>;
}

/** Runs the built worker (dist/worker/main.js) as its own process with the test's environment. */
export async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
  const logFile = path.join(tmpdir(), `coffer-worker-${process.pid}-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [path.join(root, "dist/worker/main.js")], {
    cwd: root,
    env: {
      ...process.env,
      WORKER_METRICS_PORT: String(await freePort()),
      WORKER_SDK_METRICS_PORT: String(await freePort()),
      LOG_LEVEL: "info",
      // The schedules are global to the Temporal namespace: a test worker must not repoint them at its queue.
      SCHEDULES_ENABLED: "false",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return { child, logFile, exited };
}
