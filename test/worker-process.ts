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

export interface ApiProcess {
  child: ChildProcess;
  logFile: string;
  /** The server's root (http://127.0.0.1:<port>); add API_URL's path for the REST API. */
  origin: string;
  exited: Promise<void>;
}

/** Runs the built API (dist/api/server.js) on `port` with the test's environment; resolves once it answers. */
export async function spawnApi(port: number, env: Record<string, string> = {}): Promise<ApiProcess> {
  // Another server on the port would answer the readiness probe in this one's place.
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer().once("error", () => reject(new Error(`port ${port} is taken`)));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
  });
  const logFile = path.join(tmpdir(), `coffer-api-${process.pid}-${port}-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, [path.join(root, "dist/api/server.js")], {
    cwd: root,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const origin = `http://127.0.0.1:${port}`;
  // A loaded machine takes a while to load the app; a broken one exits (checked below).
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API on port ${port} exited ${child.exitCode}; see ${logFile}`);
    const up = await fetch(`${origin}/metrics`).then(
      (res) => res.ok,
      () => false,
    );
    if (up) return { child, logFile, origin, exited };
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await exited;
      throw new Error(`API on port ${port} did not answer; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
