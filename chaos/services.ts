import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, type WriteStream } from "node:fs";

/**
 * One process of the chaos run's own stack (never the shared local stack): started, killed and
 * started again by the harness. Its output goes to a log file of its own.
 */
export class Service {
  private child: ChildProcess | null = null;
  private log: WriteStream;

  constructor(
    readonly name: string,
    private readonly command: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    logFile: string,
    /** Resolves true once the service answers. */
    private readonly ready: () => Promise<boolean>,
  ) {
    this.log = createWriteStream(logFile, { flags: "a" });
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 120_000): Promise<void> {
    this.log.write(`\n--- chaos: start ${new Date().toISOString()}\n`);
    const child = spawn(this.command, this.args, { env: this.env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.child = child;
    const deadline = Date.now() + timeoutMs;
    while (!(await this.ready().catch(() => false))) {
      if (child.exitCode !== null) throw new Error(`${this.name} exited with ${child.exitCode} while starting`);
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms`);
      await sleep(250);
    }
  }

  /** Ends the process with `signal` and waits until it is gone. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.log.write(`\n--- chaos: ${signal} ${new Date().toISOString()}\n`);
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill(signal);
    const forced = setTimeout(() => child.kill("SIGKILL"), 20_000);
    await exited;
    clearTimeout(forced);
    this.child = null;
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** True when an HTTP GET of `url` answers with a status below 500. */
export async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}
