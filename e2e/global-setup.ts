import type { ChildProcess } from "node:child_process";
import { e2eEnv, prepareDatabase, startProcess, waitForHttp, baseURL } from "./stack";

/** Starts the API and worker for the run; the function it returns stops them. */
export default async function globalSetup() {
  const env = e2eEnv();
  prepareDatabase(env);
  const processes: ChildProcess[] = [
    startProcess("api", "dist/api/server.js", env),
    startProcess("worker", "dist/worker/main.js", env),
  ];
  await waitForHttp(`${baseURL}/health`);
  await waitForHttp(`http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics`);
  return async () => {
    await Promise.all(
      processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
  };
}
