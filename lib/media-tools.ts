import { spawn } from "node:child_process";
import type { Readable } from "node:stream";

/** A media tool that failed, ran out of time or memory, or printed more than it may. */
export class MediaToolError extends Error {
  override name = "MediaToolError";
}

export interface ToolLimits {
  /** The process is killed (SIGKILL) after this long. */
  timeoutMs: number;
  /** Its address space is capped (prlimit --as): a decoder that balloons fails instead of the worker. */
  memoryBytes: number;
  /** Standard output past this many bytes kills it. */
  maxOutputBytes: number;
}

/**
 * Runs `command args` as a child process under `prlimit --as` with a hard timeout, optionally feeding
 * `input` to its standard input, and returns its standard output. No shell is involved.
 */
export function runMediaTool(command: string, args: string[], limits: ToolLimits, input?: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("prlimit", [`--as=${limits.memoryBytes}`, "--", command, ...args], {
      stdio: [input ? "pipe" : "ignore", "pipe", "pipe"],
    });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    let failure: MediaToolError | null = null;
    const kill = (reason: string) => {
      failure ??= new MediaToolError(`${command} ${reason}`);
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => kill(`timed out after ${limits.timeoutMs} ms`), limits.timeoutMs);
    child.stdout!.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxOutputBytes) return kill(`printed more than ${limits.maxOutputBytes} bytes`);
      chunks.push(chunk);
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2000);
    });
    if (input && child.stdin) {
      // The tool may stop reading early (it has what it needs, or it failed): that is no error here.
      child.stdin.on("error", () => undefined);
      input.on("error", (error) => kill(`input failed: ${error.message}`));
      input.pipe(child.stdin);
    }
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new MediaToolError(`${command} could not start: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      input?.destroy();
      if (failure) return reject(failure);
      if (code !== 0) {
        // Tools echo their input's name: a signed URL's query must not reach the logs.
        const last = stderr
          .trim()
          .replace(/\?X-Amz-[^\s:]*/g, "?…")
          .split("\n")
          .slice(-3)
          .join(" | ");
        return reject(new MediaToolError(`${command} exited with ${code ?? signal}: ${last}`));
      }
      resolve(Buffer.concat(chunks));
    });
  });
}
