/**
 * bench download: a 1 GiB file through two share links, POST /s/:token/download, with the same HTTP
 * client (fetch, body drained chunk by chunk, redirects followed) in the same run:
 * - a link with no download limit answers 303 to a presigned GET, so the bytes come from S3: against
 *   a direct presigned GET of the same object. Goal ≥ 0.95.
 * - a link with a limit streams through the API (its count stays exact): against a bare Node proxy
 *   of the presigned GET in a process of its own, the least any Node hop costs. Goal ≥ 0.95.
 * The API runs in a child process so its RSS can be sampled while it streams: within 64 MiB of idle.
 * It also prints the CPU seconds and page faults a GiB of the API and of the proxy, steadier than the
 * wall-clock ratio (GLIBC_TUNABLES decides the faults: docs/benchmarks.md, "download").
 */
import { type ChildProcess, spawn } from "node:child_process";
import { apiPathOf } from "../api/route-table";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { closeDeps } from "../api/build-deps";
import { createShare } from "../db/commands/shares/manage";
import { File, User } from "../db/models";
import {
  benchBytes,
  benchDeps,
  compare,
  cpuSecondsOf,
  createBenchUser,
  freePort,
  GiB,
  mbps,
  MiB,
  minorFaultsOf,
  peakRssDuring,
  report,
  rssOf,
  waitForHttp,
  withConcurrency,
} from "./common";
import { fileKey } from "../lib/object-keys";

const SIZE = Number(process.env.BENCH_BYTES ?? GiB);
const PART = 64 * MiB;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

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

/** Fetches `url` and reads the body to its end without keeping it; returns the byte count. */
async function drain(url: string, init?: RequestInit): Promise<number> {
  const res = await fetch(url, init);
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  const reader = res.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) bytes += read.value.length;
  return bytes;
}

async function main() {
  const deps = await benchDeps();
  const { storage, db } = deps;
  const user = await createBenchUser(db);

  console.log(`bench download: ${SIZE / MiB} MiB object`);
  const fileId = randomUUID();
  const key = fileKey({ ownerId: user.id, id: fileId });
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
  const unlimited = await createShare({ db, ownerId: user.id, fileId });
  const limited = await createShare({ db, ownerId: user.id, fileId, maxDownloads: 1_000_000 });

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
  const throughShare = (token: string) => async () => {
    if ((await drain(`${apiBase}/s/${token}/download`, { method: "POST" })) !== SIZE)
      throw new Error("share download came back short");
  };
  const redirected = throughShare(unlimited.token);
  const streamed = throughShare(limited.token);
  const answer = await fetch(`${apiBase}/s/${unlimited.token}/download`, { method: "POST", redirect: "manual" });
  if (answer.status !== 303) throw new Error(`a link with no limit answered ${answer.status}, not 303`);
  await answer.body?.cancel();

  // Warm-up: connections, JIT; then the idle RSS.
  await redirected();
  await streamed();
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRss = rssOf(api.pid!);
  let peakRss = idleRss;

  // What each hop spends a GiB over all rounds: CPU seconds, and page faults (memory it had to map in again).
  const spent = { api: { cpu: 0, faults: 0 }, proxy: { cpu: 0, faults: 0 } };
  const counted = async (pid: number, into: { cpu: number; faults: number }, work: () => Promise<unknown>) => {
    const [cpu, faults] = [cpuSecondsOf(pid), minorFaultsOf(pid)];
    await work();
    into.cpu += cpuSecondsOf(pid) - cpu;
    into.faults += minorFaultsOf(pid) - faults;
  };
  const best = await compare(ROUNDS, {
    direct,
    redirected,
    streamed: () =>
      counted(api.pid!, spent.api, async () => {
        peakRss = Math.max(peakRss, await peakRssDuring(api.pid!, streamed));
      }),
    nodeProxy: () =>
      counted(proxy.pid!, spent.proxy, async () => {
        if ((await drain(`http://127.0.0.1:${proxyPort}/`)) !== SIZE) throw new Error("proxy download came back short");
      }),
  });

  report(
    `link with no download limit: 303 to S3 (best of ${ROUNDS})`,
    { label: "POST /s/:token/download → 303 → presigned GET", value: mbps(SIZE, best.redirected) },
    { label: "presigned GET from S3", value: mbps(SIZE, best.direct) },
    "MiB/s",
    "≥ 0.95",
  );
  report(
    `link with a download limit: streamed by the API (best of ${ROUNDS})`,
    { label: "POST /s/:token/download through the API", value: mbps(SIZE, best.streamed) },
    { label: "bare Node proxy of the presigned GET", value: mbps(SIZE, best.nodeProxy) },
    "MiB/s",
    "≥ 0.95",
  );
  report(
    `streamed against direct (best of ${ROUNDS})`,
    { label: "POST /s/:token/download through the API", value: mbps(SIZE, best.streamed) },
    { label: "presigned GET from S3", value: mbps(SIZE, best.direct) },
    "MiB/s",
    "for information: every byte takes one more hop",
  );
  const perGiB = (value: number) => value / ((ROUNDS * SIZE) / GiB);
  for (const [label, { cpu, faults }] of [
    ["API, streamed", spent.api],
    ["bare Node proxy", spent.proxy],
  ] as const) {
    console.log(
      `${label}: ${perGiB(cpu).toFixed(2)} CPU-s a GiB, ${Math.round(perGiB(faults))} page faults a GiB (GLIBC_TUNABLES=${process.env.GLIBC_TUNABLES ?? ""})`,
    );
  }
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
