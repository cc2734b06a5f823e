import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const stackScript = path.resolve(__dirname, "..", "scripts", "stack.sh");

/**
 * The stack is shared by every test: it is configured from .env / .env.example alone, never from
 * the overrides a test put into process.env (a test's small CLAMAV_MAX_BYTES must not reach clamd).
 */
const stackEnv = () => ({ PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root" });

/** Takes one service of the local stack away (fault tests). */
export async function stopService(name: string): Promise<void> {
  await run("bash", [stackScript, "stop", name], { env: stackEnv() });
}

/** Brings a stopped service back and waits until it is healthy. */
export async function startService(name: string): Promise<void> {
  await run("bash", [stackScript, "start", name], { env: stackEnv(), timeout: 120_000 });
}
