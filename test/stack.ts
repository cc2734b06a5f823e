import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import dotenv from "dotenv";
import { ClamdClient } from "../lib/clamd";
import { clamdReady } from "./clamd-instance";

const run = promisify(execFile);
const root = path.resolve(__dirname, "..");
const stackScript = path.join(root, "scripts", "stack.sh");

/**
 * The stack is shared by every test: it is configured from .env / .env.example alone, never from
 * the overrides a test put into process.env (a test's small CLAMAV_MAX_BYTES must not reach clamd).
 */
const stackEnv = () => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root" });

/** Takes one service of the local stack away (fault tests). */
export async function stopService(name: string): Promise<void> {
  await run("bash", [stackScript, "stop", name], { env: stackEnv() });
}

/** The stack's own settings: .env, else .env.example, as scripts/lib/common.sh reads them. */
function stackConfig(): Record<string, string> {
  const file = [".env", ".env.example"].map((name) => path.join(root, name)).find((candidate) => existsSync(candidate));
  return file ? dotenv.parse(readFileSync(file)) : {};
}

/** Services whose "started" is not yet "ready" for the app: each probe does real work with the app's client. */
const readiness: Partial<Record<string, () => Promise<boolean>>> = {
  clamav: () => {
    const config = stackConfig();
    const port = Number(config.CLAMAV_PORT ?? 3310);
    return clamdReady(new ClamdClient({ host: config.CLAMAV_HOST ?? "127.0.0.1", port, timeoutMs: 5000 }));
  },
};

/**
 * Brings a stopped service back and waits until it is ready for the app, so that the tests after
 * this one find the stack as they would without it.
 */
export async function startService(name: string): Promise<void> {
  await run("bash", [stackScript, "start", name], { env: stackEnv(), timeout: 120_000 });
  const ready = readiness[name];
  if (!ready) return;
  for (const deadline = Date.now() + 60_000; !(await ready());) {
    if (Date.now() > deadline) throw new Error(`${name} started but is not ready after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
