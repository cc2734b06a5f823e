import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import type { Knex } from "knex";
import { User } from "../db/models";
import { buildDeps } from "../api/build-deps";
import type { AppDeps } from "../api/deps";
import { getConfig } from "../lib/config";
import { createLogger } from "../lib/logger";
import "../lib/env-file";

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** The API's dependencies against the local stack (the bench reads .env like `npm start`). */
export async function benchDeps(overrides: Record<string, string> = {}): Promise<AppDeps> {
  Object.assign(process.env, { LOG_LEVEL: "warn", ...overrides });
  const config = getConfig();
  const deps = buildDeps(config, createLogger({ level: "warn", name: "bench" }));
  await deps.db.migrate.latest();
  return deps;
}

/** Seconds taken by `work`. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Runs each contender `rounds` times, alternating, and keeps each one's best time. */
export async function compare(rounds: number, contenders: Record<string, () => Promise<unknown>>) {
  const best: Record<string, number> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, work] of Object.entries(contenders)) {
      const seconds = await timed(work);
      best[name] = Math.min(best[name] ?? Infinity, seconds);
      console.log(`  round ${round + 1} ${name}: ${seconds.toFixed(2)} s`);
    }
  }
  return best;
}

/** Resident set size of a process in bytes, from /proc. */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

const CLOCK_TICKS = 100;

/** Fields 3 onwards of /proc/<pid>/stat (stat(5)), after the command name; null once the process is gone. */
function statFieldsOf(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** CPU seconds (user + system, with reaped children) a process has used so far; 0 once it is gone. */
export function cpuSecondsOf(pid: number): number {
  // utime, stime, cutime, cstime are fields 14–17; the array starts at field 3.
  const ticks = statFieldsOf(pid)?.slice(11, 15) ?? [];
  return ticks.reduce((sum, tick) => sum + Number(tick), 0) / CLOCK_TICKS;
}

/** Minor page faults a process has taken so far (memory it touched that the kernel had to map in); 0 once it is gone. */
export function minorFaultsOf(pid: number): number {
  // minflt is field 10.
  return Number(statFieldsOf(pid)?.[7] ?? 0);
}

/** The value at percentile `p` (0–100) of ascending `sorted`; NaN when it is empty. */
export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Samples a process's RSS every 20 ms while `work` runs; returns the peak. */
export async function peakRssDuring(pid: number, work: () => Promise<unknown>): Promise<number> {
  let peak = rssOf(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssOf(pid));
    } catch {
      // the process ended
    }
  }, 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssOf(pid));
}

export const mbps = (bytes: number, seconds: number) => bytes / MiB / seconds;

/** Runs `tasks` with at most `limit` at once. */
export async function withConcurrency<T>(limit: number, tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const index = next++;
        results[index] = await tasks[index]();
      }
    }),
  );
  return results;
}

/** Bytes with some variety so nothing along the way can shortcut them. */
export function benchBytes(size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let x = 0x12345678;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes.writeInt32LE(x | 0, i);
  }
  return bytes;
}

export function report(
  title: string,
  ours: { label: string; value: number },
  baseline: { label: string; value: number },
  unit: string,
  goal: string,
) {
  const ratio = ours.value / baseline.value;
  console.log(`\n${title}`);
  console.log(`  ours      ${ours.label}: ${ours.value.toFixed(1)} ${unit}`);
  console.log(`  baseline  ${baseline.label}: ${baseline.value.toFixed(1)} ${unit}`);
  console.log(`  ratio     ${ratio.toFixed(3)}   (goal: ${goal})`);
  return ratio;
}

/** A verified user of the bench's own, with room for every byte a bench writes. */
export async function createBenchUser(db: Knex, quotaBytes = 64 * GiB): Promise<User> {
  return User.query(db).insertAndFetch({
    email: `bench-${randomUUID()}@example.com`,
    passwordHash: "not-a-login",
    role: "user",
    emailVerifiedAt: new Date(),
    quotaBytes,
  });
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `url` answers at all (a busy machine may take a while to start a process). */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const up = await fetch(url, { method: "HEAD" }).then(
      () => true,
      () => false,
    );
    if (up) return;
    if (Date.now() > deadline) throw new Error(`${url} did not come up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A stored part of an upload, as complete wants it. */
export interface PutPart {
  partNumber: number;
  etag: string;
}

/**
 * One file through Coffer's upload flow as a client runs it: start → sign every part → PUT them with
 * `put`, `concurrency` at a time → complete. Returns the file's id and the part size the API planned.
 */
export async function uploadThroughCoffer(options: {
  api: string;
  headers: Record<string, string>;
  name: string;
  sizeBytes: number;
  concurrency: number;
  put: (url: string, partNumber: number) => Promise<PutPart>;
}): Promise<{ fileId: string; partSize: number }> {
  const { api, headers } = options;
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${api}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const started = await post<{ file: { id: string }; partSize: number; partCount: number }>("/files/uploads", {
    name: options.name,
    sizeBytes: options.sizeBytes,
  });
  const fileId = started.file.id;
  const partNumbers = Array.from({ length: started.partCount }, (_, i) => i + 1);
  const signed = await post<{ parts: { partNumber: number; url: string }[] }>(`/files/${fileId}/parts`, {
    partNumbers,
  });
  const parts = await withConcurrency(
    options.concurrency,
    signed.parts.map((part) => () => options.put(part.url, part.partNumber)),
  );
  await post(`/files/${fileId}/complete`, { parts });
  return { fileId, partSize: started.partSize };
}

/**
 * The baseline of an upload: the same parts as a bare S3 multipart upload (CreateMultipartUpload,
 * presigned part URLs, the same PUTs with `put`, CompleteMultipartUpload), with no API in between.
 */
export async function uploadRawMultipart(options: {
  deps: AppDeps;
  key: string;
  partLengths: number[];
  concurrency: number;
  put: (url: string, partNumber: number) => Promise<PutPart>;
}): Promise<void> {
  const { deps, key, partLengths } = options;
  const uploadId = await deps.storage.createMultipartUpload(key, "application/octet-stream");
  const urls = await Promise.all(
    partLengths.map((length, i) => deps.urls.uploadPart(key, uploadId, i + 1, length, 3600)),
  );
  const parts = await withConcurrency(
    options.concurrency,
    urls.map((url, i) => () => options.put(url, i + 1)),
  );
  await deps.storage.completeMultipartUpload(key, uploadId, parts);
}
