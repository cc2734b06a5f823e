/**
 * bench download: a 1 GiB file through a share link (POST /s/:token/download, the API streaming
 * from S3) against a direct presigned GET of the same object from S3, with the same HTTP client
 * (fetch, body drained chunk by chunk) in the same run. The API runs in a child process so its RSS
 * can be sampled. Goals: ≥ 0.9 × direct throughput; the API's peak RSS while streaming within
 * 64 MiB of its idle RSS.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { apiPathOf } from "../api/route-table";
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import path from "node:path";
import { closeDeps } from "../api/build-deps";
import { createShare } from "../db/commands/shares/manage";
import { File, User } from "../db/models";
import {
  benchBytes,
  benchDeps,
  compare,
  createBenchUser,
  GiB,
  mbps,
  MiB,
  peakRssDuring,
  report,
  rssOf,
  withConcurrency,
} from "./common";

const SIZE = Number(process.env.BENCH_BYTES ?? GiB);
const PART = 64 * MiB;

/** A port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A bare streaming proxy of PROXY_TARGET on PROXY_PORT, run with `node -e`. */
const NODE_PROXY = `
const http = require("node:http");
http.createServer((req, res) => {
  if (req.method === "HEAD") return res.end();
  http.get(process.env.PROXY_TARGET, (upstream) => {
    res.writeHead(upstream.statusCode, { "content-length": upstream.headers["content-length"] });
    upstream.pipe(res);
  });
}).listen(Number(process.env.PROXY_PORT), "127.0.0.1");
`;

/** Resolves once `url` answers at all. */
async function waitForHttp(url: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    const up = await fetch(url, { method: "HEAD" }).then(
      () => true,
      () => false,
    );
    if (up) return;
    if (tries > 100) throw new Error(`${url} did not come up`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Fetches `url` and reads the body to its end without keeping it; returns the byte count. */
async function drain(url: string, init?: RequestInit): Promise<number> {
  const res = await fetch(url, init);
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
  return bytes;
}

async function main() {
  const deps = await benchDeps();
  const { storage, db } = deps;
  const user = await createBenchUser(db);

  console.log(`bench download: ${SIZE / MiB} MiB object`);
  const fileId = randomUUID();
  const key = `${user.id}/${fileId}`;
  const uploadId = await storage.createMultipartUpload(key, "application/octet-stream");
  const bytes = benchBytes(SIZE);
  const numbers = Array.from({ length: Math.ceil(SIZE / PART) }, (_, i) => i + 1);
  const parts = await withConcurrency(
    4,
    numbers.map((n) => async () => {
      const body = bytes.subarray((n - 1) * PART, n * PART);
      const url = await deps.urls.uploadPart(key, uploadId, n, body.length, 3600);
      const res = await fetch(url, { method: "PUT", body });
      return { partNumber: n, etag: res.headers.get("etag")! };
    }),
  );
  await storage.completeMultipartUpload(key, uploadId, parts);
  // The bench is about serving: the file is entered as scanned and ready.
  await File.query(db).insert({
    id: fileId,
    ownerId: user.id,
    name: "bench-download.bin",
    sizeBytes: SIZE,
    s3Key: key,
    status: "ready",
  });
  const share = await createShare({ db, ownerId: user.id, fileId });

  const port = await freePort();
  const api: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, "..", "api", "server.js")], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: "warn", RATE_LIMIT_PUBLIC_PER_MINUTE: "100000" },
    stdio: "inherit",
  });
  const apiUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${apiUrl}/health`);
  const apiBase = `${apiUrl}${apiPathOf(deps.config.API_URL)}`;

  // The least any Node hop costs: a bare http.get → response pipe in a process of its own.
  const proxyPort = await freePort();
  const proxy: ChildProcess = spawn(process.execPath, ["-e", NODE_PROXY], {
    env: { ...process.env, PROXY_PORT: String(proxyPort), PROXY_TARGET: await deps.urls.download(key, 3600) },
    stdio: "inherit",
  });
  await waitForHttp(`http://127.0.0.1:${proxyPort}/`);

  const direct = async () => {
    const url = await deps.urls.download(key, 3600);
    if ((await drain(url)) !== SIZE) throw new Error("direct GET came back short");
  };
  const throughShare = async () => {
    if ((await drain(`${apiBase}/s/${share.token}/download`, { method: "POST" })) !== SIZE)
      throw new Error("share download came back short");
  };

  // Warm-up: connections, argon2, JIT; then the idle RSS.
  await throughShare();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRss = rssOf(api.pid!);
  let peakRss = idleRss;

  const best = await compare(3, {
    direct,
    share: async () => {
      peakRss = Math.max(peakRss, await peakRssDuring(api.pid!, throughShare));
    },
    nodeProxy: async () => {
      if ((await drain(`http://127.0.0.1:${proxyPort}/`)) !== SIZE) throw new Error("proxy download came back short");
    },
  });

  report(
    "download throughput (best of 3)",
    { label: "share link through the API", value: mbps(SIZE, best.share) },
    { label: "presigned GET from S3", value: mbps(SIZE, best.direct) },
    "MiB/s",
    "≥ 0.9",
  );
  report(
    "the API against the cheapest Node hop (best of 3)",
    { label: "share link through the API", value: mbps(SIZE, best.share) },
    { label: "bare Node proxy of the presigned GET", value: mbps(SIZE, best.nodeProxy) },
    "MiB/s",
    "for information",
  );
  console.log(
    `\nAPI RSS: idle ${(idleRss / MiB).toFixed(1)} MiB, peak while streaming ${(peakRss / MiB).toFixed(1)} MiB, growth ${((peakRss - idleRss) / MiB).toFixed(1)} MiB (goal: ≤ 64 MiB)`,
  );

  proxy.kill("SIGTERM");
  api.kill("SIGTERM");
  await new Promise((resolve) => api.once("exit", resolve));
  await storage.deleteObject(key);
  await User.query(db).deleteById(user.id);
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
