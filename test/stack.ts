import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const stackScript = path.resolve(__dirname, "..", "scripts", "stack.sh");

/** Takes one service of the local stack away (fault tests). */
export async function stopService(name: string): Promise<void> {
  await run("bash", [stackScript, "stop", name], { env: process.env });
}

/** Brings a stopped service back and waits until it is healthy. */
export async function startService(name: string): Promise<void> {
  await run("bash", [stackScript, "start", name], { env: process.env, timeout: 120_000 });
}
