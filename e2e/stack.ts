/**
 * The whole product for the browser tests: the built API (serving web/dist) and worker, against the
 * local stack (npm test's bootstrap brings it up), on a port, database, task queue and rate-limit
 * namespace of their own so they never meet a developer's `npm start`.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";

export const root = path.resolve(__dirname, "..");
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://127.0.0.1:${E2E_PORT}`;
export const apiURL = `${baseURL}/api`;
export const ADMIN = { email: "admin@e2e.coffer.test", password: "e2e-admin-password-0123" };

/** The environment of the e2e API and worker: .env's services with settings of their own. */
export function e2eEnv(): NodeJS.ProcessEnv {
  const file = existsSync(path.join(root, ".env")) ? ".env" : ".env.example";
  const env = { ...dotenv.parse(readFileSync(path.join(root, file))), ...process.env } as NodeJS.ProcessEnv;
  const database = new URL(env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/coffer");
  database.pathname = `${database.pathname}_e2e`;
  return {
    ...env,
    NODE_ENV: "development",
    LOG_LEVEL: "warn",
    PORT: String(E2E_PORT),
    HOST: "127.0.0.1",
    APP_URL: baseURL,
    API_URL: apiURL,
    DATABASE_URL: database.toString(),
    TEMPORAL_TASK_QUEUE: `e2e-${randomUUID()}`,
    SCHEDULES_ENABLED: "false",
    WORKER_METRICS_PORT: String(E2E_PORT + 1),
    WORKER_SDK_METRICS_PORT: String(E2E_PORT + 2),
    RATE_LIMIT_PREFIX: `coffer:e2e:${randomUUID()}`,
    RATE_LIMIT_AUTH_PER_MINUTE: "1000",
    RATE_LIMIT_PUBLIC_PER_MINUTE: "1000",
    RATE_LIMIT_ADMIN_PER_MINUTE: "1000",
    RATE_LIMIT_SHARE_PASSWORD_PER_MINUTE: "1000",
    UPLOAD_PART_BYTES: String(5 * 1024 * 1024),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  };
}

/** Creates the e2e database when missing, migrates it and seeds the admin. */
export function prepareDatabase(env: NodeJS.ProcessEnv): void {
  const url = new URL(env.DATABASE_URL!);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  execFileSync(
    process.execPath,
    [
      "-e",
      `
    const { Client } = require("pg");
    const client = new Client({ connectionString: process.argv[1] });
    client.connect()
      .then(() => client.query("SELECT 1 FROM pg_database WHERE datname = $1", [process.argv[2]]))
      .then((r) => r.rowCount ? null : client.query('CREATE DATABASE "' + process.argv[2].replace(/"/g, '""') + '"'))
      .then(() => client.end(), (e) => { console.error(e.message); process.exit(1); });
  `,
      url.toString(),
      name,
    ],
    { cwd: root, stdio: "inherit" },
  );
  for (const command of ["migrate", "seed"]) {
    execFileSync(process.execPath, [path.join(root, "dist/db/cli.js"), command], { cwd: root, env, stdio: "inherit" });
  }
}

export function startProcess(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, script)], {
    cwd: root,
    env,
    stdio: ["ignore", "inherit", "inherit"],
  });
  child.once("exit", (code, signal) => {
    if (code !== 0 && signal !== "SIGTERM") console.error(`e2e: ${name} exited with ${code ?? signal}`);
  });
  return child;
}

export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (res) => res.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}
