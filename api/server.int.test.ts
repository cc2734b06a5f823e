import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { createUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { eventually, readyFile, shareFile, shareTestEnv } from "../test/shares";
import { randomBytesOf, sha256 } from "../test/uploads";
import { freePort } from "../test/worker-process";

const root = path.resolve(__dirname, "..");

/** Opens a connection, sends `data` and waits: resolves with what the server sent and how long until it closed. */
function sendAndWait(
  port: number,
  data: string,
  giveUpMs: number,
): Promise<{ reply: string; closedAfterMs: number | null }> {
  return new Promise((resolve) => {
    const started = Date.now();
    let reply = "";
    const socket = net.connect(port, "127.0.0.1", () => socket.write(data));
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => (reply += chunk));
    socket.on("error", () => undefined);
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ reply, closedAfterMs: null });
    }, giveUpMs);
    socket.once("close", () => {
      clearTimeout(giveUp);
      resolve({ reply, closedAfterMs: Date.now() - started });
    });
  });
}

describe("the API server's connection timeouts (dist/api/server.js)", () => {
  let bed: FilesTestbed;
  let api: ChildProcess;
  let port: number;
  beforeAll(async () => {
    bed = await startFilesTestbed(shareTestEnv());
    port = await freePort();
    api = spawn(process.execPath, [path.join(root, "dist/api/server.js")], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        RATE_LIMIT_PREFIX: `coffer:test:${randomUUID()}`,
        HTTP_HEADERS_TIMEOUT_SECONDS: "1",
        HTTP_REQUEST_TIMEOUT_SECONDS: "2",
        HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: "1",
      },
      stdio: "ignore",
    });
    await eventually(
      () =>
        fetch(`http://127.0.0.1:${port}/no-such-route`).then(
          () => true,
          () => undefined,
        ),
      30_000,
    );
  });
  afterAll(async () => {
    api.kill("SIGTERM");
    await bed.close();
  });

  it("answers 408 and closes a connection that sends its headers too slowly", async () => {
    const { reply, closedAfterMs } = await sendAndWait(port, "GET /health HTTP/1.1\r\nHost: coffer\r\n", 8000);
    expect(closedAfterMs).not.toBeNull();
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("answers 408 and closes a connection whose body does not arrive within the request timeout", async () => {
    const head =
      "POST /auth/login HTTP/1.1\r\nHost: coffer\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    const { reply, closedAfterMs } = await sendAndWait(port, `${head}{"email":`, 8000);
    expect(closedAfterMs).not.toBeNull();
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("closes an idle keep-alive connection after HTTP_KEEP_ALIVE_TIMEOUT_SECONDS", async () => {
    const { reply, closedAfterMs } = await sendAndWait(
      port,
      "GET /api/no-such-route HTTP/1.1\r\nHost: coffer\r\n\r\n",
      8000,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 404 /);
    expect(closedAfterMs).not.toBeNull();
    expect(closedAfterMs!).toBeLessThan(4000);
  });

  it("lets a download run for longer than the request timeout", async () => {
    const owner = await createUser(bed.deps);
    const bytes = randomBytesOf(24 * 1024 * 1024);
    // A limited link: its bytes stream through the API (an unlimited one is redirected to storage).
    const { token } = await shareFile(
      bed.server.url,
      owner,
      await readyFile(bed.server.url, owner, "slow.bin", bytes),
      {
        maxDownloads: 5,
      },
    );
    const received = await new Promise<Buffer>((resolve, reject) => {
      const req = http.request(
        `http://127.0.0.1:${port}/api/s/${token}/download`,
        { method: "POST", agent: false },
        (res) => {
          const chunks: Buffer[] = [];
          // Take the headers, then nothing for longer than the request timeout, then the rest.
          setTimeout(() => res.on("data", (chunk: Buffer) => chunks.push(chunk)), 4000);
          res.once("end", () => (res.complete ? resolve(Buffer.concat(chunks)) : reject(new Error("cut short"))));
          res.once("error", reject);
          res.once("close", () => res.complete || reject(new Error("cut short")));
        },
      );
      req.once("error", reject);
      req.end();
    });
    expect(sha256(received)).toBe(sha256(bytes));
  });
});
