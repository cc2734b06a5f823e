/**
 * bench zip: a folder share of BENCH_ZIP_GIB (default 5) GiB downloaded as one streamed ZIP through
 * the API (POST /s/:token/download), against plain presigned GETs of the same objects from S3 in
 * the same run, with the same HTTP client (fetch, body drained chunk by chunk). The API runs in a
 * child process so its RSS can be sampled; it is printed at every GiB of the ZIP to show it stays
 * flat. The objects are made fast: one 64 MiB object, then 1 GiB objects assembled from it by
 * server-side multipart copies (UploadPartCopy), so no 5 GiB ever goes through this process.
 * Goals: the API's RSS growth while streaming ≤ 64 MiB whatever the size; throughput ≥ 0.8 × direct.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCopyCommand,
} from "@aws-sdk/client-s3";
import { closeDeps } from "../api/build-deps";
import { apiPathOf } from "../api/route-table";
import { createFolderShare } from "../db/commands/shares/folder-shares";
import { File, Folder, User } from "../db/models";
import { fileKey } from "../lib/object-keys";
import { benchBytes, benchDeps, createBenchUser, freePort, GiB, mbps, MiB, report, rssOf, waitForHttp } from "./common";

const TOTAL_GIB = Number(process.env.BENCH_ZIP_GIB ?? 5);
const SEED = 64 * MiB;
const PARTS_PER_OBJECT = GiB / SEED;

/** Drains a response body; calls `onGiB` at every GiB and keeps the last bytes (the ZIP's end records). */
async function drain(res: Response, onGiB: (gib: number) => void = () => undefined) {
  if (res.status !== 200) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  let bytes = 0;
  let tail = Buffer.alloc(0);
  const reader = res.body!.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    const chunk = read.value;
    const before = Math.floor(bytes / GiB);
    bytes += chunk.length;
    if (Math.floor(bytes / GiB) > before) onGiB(Math.floor(bytes / GiB));
    tail = Buffer.concat([tail, Buffer.from(chunk)]).subarray(-4096);
  }
  return { bytes, tail };
}

async function main() {
  const deps = await benchDeps();
  const { storage, db } = deps;
  const s3 = storage.client;
  const Bucket = storage.bucket;
  const user = await createBenchUser(db, 64 * GiB);
  console.log(`bench zip: a folder of ${TOTAL_GIB} × 1 GiB objects as one ZIP`);

  const seedKey = `bench/${randomUUID()}`;
  await s3.send(new PutObjectCommand({ Bucket, Key: seedKey, Body: benchBytes(SEED) }));
  const folder = await Folder.query(db).insertAndFetch({ ownerId: user.id, name: "bench-zip" });
  const keys: string[] = [];
  const madeAt = Date.now();
  for (let i = 0; i < TOTAL_GIB; i++) {
    const id = randomUUID();
    const Key = fileKey({ ownerId: user.id, id });
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const parts = await Promise.all(
      Array.from({ length: PARTS_PER_OBJECT }, async (_, p) => {
        const copied = await s3.send(
          new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: p + 1, CopySource: `${Bucket}/${seedKey}` }),
        );
        return { PartNumber: p + 1, ETag: copied.CopyPartResult!.ETag! };
      }),
    );
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    // The bench is about serving: the file is entered as scanned and ready.
    await File.query(db).insert({
      id,
      ownerId: user.id,
      folderId: folder.id,
      name: `part-${i}.bin`,
      sizeBytes: GiB,
      s3Key: Key,
      status: "ready",
    });
    keys.push(Key);
  }
  console.log(`objects made by server-side copy in ${((Date.now() - madeAt) / 1000).toFixed(1)} s`);
  const share = await createFolderShare({ db, ownerId: user.id, folderId: folder.id });

  const port = await freePort();
  const api: ChildProcess = spawn(process.execPath, [path.resolve(__dirname, "..", "api", "server.js")], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: "warn", RATE_LIMIT_PUBLIC_PER_MINUTE: "100000" },
    stdio: "inherit",
  });
  const origin = `http://127.0.0.1:${port}`;
  await waitForHttp(`${origin}/health`);
  const zipUrl = `${origin}${apiPathOf(deps.config.API_URL)}/s/${share.token}/download`;

  // Warm-up (connections, JIT) on the direct path, then the idle RSS of the API.
  await drain(await fetch(await deps.urls.download(keys[0]!, 3600)));
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleRss = rssOf(api.pid!);

  const directStart = process.hrtime.bigint();
  let directBytes = 0;
  for (const key of keys) directBytes += (await drain(await fetch(await deps.urls.download(key, 3600)))).bytes;
  const directSeconds = Number(process.hrtime.bigint() - directStart) / 1e9;

  const samples: string[] = [];
  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssOf(api.pid!))), 20);
  const zipStart = process.hrtime.bigint();
  const res = await fetch(zipUrl, { method: "POST" });
  const declared = Number(res.headers.get("content-length"));
  const zip = await drain(res, (gib) => samples.push(`${gib} GiB: ${(rssOf(api.pid!) / MiB).toFixed(1)} MiB`));
  const zipSeconds = Number(process.hrtime.bigint() - zipStart) / 1e9;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssOf(api.pid!));

  if (zip.bytes !== declared) throw new Error(`ZIP of ${zip.bytes} bytes, Content-Length said ${declared}`);
  // The archive passes 4 GiB: it must end with ZIP64 end records (signature PK\x06\x06) before the classic one.
  const zip64 = zip.tail.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]));
  console.log(
    `ZIP: ${(zip.bytes / GiB).toFixed(3)} GiB (${zip.bytes - directBytes} bytes of headers for ${keys.length} entries), Content-Length exact, ZIP64 end record: ${zip64 ? "yes" : "NO"}`,
  );

  report(
    "folder ZIP throughput",
    { label: "folder share ZIP through the API", value: mbps(zip.bytes, zipSeconds) },
    { label: "presigned GETs of the same objects", value: mbps(directBytes, directSeconds) },
    "MiB/s",
    "≥ 0.8",
  );
  console.log(`\nAPI RSS while streaming, at each GiB of the ZIP: ${samples.join(", ")}`);
  console.log(
    `API RSS: idle ${(idleRss / MiB).toFixed(1)} MiB, peak ${(peakRss / MiB).toFixed(1)} MiB, growth ${((peakRss - idleRss) / MiB).toFixed(1)} MiB over ${(zip.bytes / GiB).toFixed(1)} GiB (goal: ≤ 64 MiB, flat)`,
  );

  // The access log is written once the response is over: let it land before the API stops.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  api.kill("SIGTERM");
  await new Promise((resolve) => api.once("exit", resolve));
  for (const key of [...keys, seedKey]) await storage.deleteObject(key);
  await User.query(db).deleteById(user.id);
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
