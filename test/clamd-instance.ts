import { type ChildProcess, spawn } from "node:child_process";
import { chmod, copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { ClamdClient } from "../lib/clamd";
import { cleanBytes } from "./samples";

/** Our offline test database: EICAR and ClamAV's test files by hash, and the body signature of samples' testMarker. */
const signatureDir = path.resolve(__dirname, "..", "scripts", "clamav");
const signatureFiles = ["coffer-test.hdb", "coffer-test.ndb"];

export interface ClamdInstance {
  client: ClamdClient;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** clamd answers PONG and a real INSTREAM scan of a few clean bytes: ready for the app's scans. */
export async function clamdReady(client: ClamdClient): Promise<boolean> {
  try {
    if (!(await client.ping())) return false;
    return (await client.scan(cleanBytes(64))).outcome === "clean";
  } catch {
    return false;
  }
}

/**
 * A real clamd of its own with our offline signatures and a small StreamMaxLength, for tests that
 * must not change the shared stack's limits.
 */
export async function startClamd(streamMaxBytes: number): Promise<ClamdInstance> {
  const dir = await mkdtemp(path.join(tmpdir(), "coffer-clamd-"));
  await chmod(dir, 0o777);
  for (const name of signatureFiles) await copyFile(path.join(signatureDir, name), path.join(dir, name));
  const port = await freePort();
  const conf = path.join(dir, "clamd.conf");
  await writeFile(
    conf,
    [
      "Foreground yes",
      `LogFile ${path.join(dir, "clamd.log")}`,
      `DatabaseDirectory ${dir}`,
      "TCPAddr 127.0.0.1",
      `TCPSocket ${port}`,
      `StreamMaxLength ${streamMaxBytes}`,
      `MaxFileSize ${streamMaxBytes}`,
      `MaxScanSize ${streamMaxBytes}`,
      "",
    ].join("\n"),
  );
  const asRoot = process.getuid?.() === 0;
  const child: ChildProcess = asRoot
    ? spawn("runuser", ["-u", "clamav", "--", "clamd", "-c", conf], { stdio: "ignore" })
    : spawn("clamd", ["-c", conf], { stdio: "ignore" });
  const client = new ClamdClient({ host: "127.0.0.1", port, timeoutMs: 5000 });

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (await clamdReady(client)) break;
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`test clamd did not start (see ${dir}/clamd.log)`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    client,
    port,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
