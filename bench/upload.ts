/**
 * bench upload: 1 GiB through Coffer's flow (init → sign → PUT parts, 4 at a time → complete)
 * against a raw S3 multipart upload of the same bytes with the same HTTP client, part size and
 * concurrency, in the same run. Goal: ours ≥ 0.95 × raw throughput.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { createApp } from "../api/app";
import { apiPathOf } from "../api/route-table";
import { closeDeps } from "../api/build-deps";
import { startSession } from "../db/commands/accounts/refresh-tokens";
import { User } from "../db/models";
import { signAccessToken } from "../lib/access-token";
import {
  benchBytes,
  benchDeps,
  compare,
  createBenchUser,
  GiB,
  mbps,
  MiB,
  report,
  uploadRawMultipart,
  uploadThroughCoffer,
} from "./common";

const SIZE = Number(process.env.BENCH_BYTES ?? GiB);
const PART = 16 * MiB;
const CONCURRENCY = 4;

async function main() {
  const deps = await benchDeps({
    UPLOAD_PART_BYTES: String(PART),
    PUBLIC_MAX_BYTES: String(2 * GiB),
    RATE_LIMIT_UPLOAD_PER_MINUTE: "10000",
    // No worker runs here: the uploaded files simply wait in processing and are deleted below.
  });
  const server = createApp(deps).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}${apiPathOf(deps.config.API_URL)}`;
  const user = await createBenchUser(deps.db);
  const { sessionId } = await startSession({ db: deps.db, userId: user.id, ttlSeconds: 3600 });
  const token = await signAccessToken({ userId: user.id, role: "user", sessionId }, deps.config.JWT_SECRET, 3600);
  const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
  const bytes = benchBytes(SIZE);
  const partCount = Math.ceil(SIZE / PART);
  const partOf = (n: number) => bytes.subarray((n - 1) * PART, n * PART);
  const put = async (url: string, n: number) => {
    const res = await fetch(url, { method: "PUT", body: partOf(n) });
    if (res.status !== 200) throw new Error(`PUT part ${n}: ${res.status}`);
    return { partNumber: n, etag: res.headers.get("etag")! };
  };
  const partLengths = Array.from({ length: partCount }, (_, i) => partOf(i + 1).length);

  const ours = async () => {
    const name = `bench-${randomUUID()}.bin`;
    const { fileId } = await uploadThroughCoffer({
      api,
      headers,
      name,
      sizeBytes: SIZE,
      concurrency: CONCURRENCY,
      put,
    });
    await fetch(`${api}/files/${fileId}?permanent=true`, { method: "DELETE", headers });
  };

  const raw = async () => {
    const key = `bench/raw-${randomUUID()}`;
    await uploadRawMultipart({ deps, key, partLengths, concurrency: CONCURRENCY, put });
    await deps.storage.deleteObject(key);
  };

  console.log(`bench upload: ${SIZE / MiB} MiB, ${PART / MiB} MiB parts, concurrency ${CONCURRENCY}`);
  const best = await compare(3, { raw, ours });
  report(
    "upload throughput (best of 3)",
    { label: "Coffer flow", value: mbps(SIZE, best.ours) },
    { label: "raw S3 multipart", value: mbps(SIZE, best.raw) },
    "MiB/s",
    "≥ 0.95",
  );
  await User.query(deps.db).deleteById(user.id);
  server.close();
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
