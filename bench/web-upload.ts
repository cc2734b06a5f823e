/**
 * bench web-upload: a 512 MiB file uploaded by the web client's own engine (web/src/uploads, XHR PUTs
 * of the server's part plan, 4 parts in flight) in headless Chromium, from the drop to the file
 * leaving "uploading", against the same bytes sent by S3 multipart from Node (same part size and
 * concurrency, URLs signed the same way) in the same run. Goal: ours ≥ 0.8 × raw throughput.
 * Needs `pnpm build` (the web client in web/dist) and Debian's chromium.
 */
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { chromium } from "playwright-core";
import { createApp } from "../api/app";
import { closeDeps } from "../api/build-deps";
import { apiPathOf } from "../api/route-table";
import { startSession } from "../db/commands/accounts/refresh-tokens";
import { File, User } from "../db/models";
import { benchBytes, benchDeps, createBenchUser, GiB, mbps, MiB, report, timed, withConcurrency } from "./common";

const SIZE = Number(process.env.BENCH_BYTES ?? 512 * MiB);
const PART = 8 * MiB;
const CONCURRENCY = 4;
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Gzipped size of the JavaScript and CSS the first page loads (index.html's own assets, not the lazy pages). */
function firstPageBytes(dist: string): number {
  const html = readFileSync(path.join(dist, "index.html"), "utf8");
  const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  return assets.reduce((sum, asset) => sum + gzipSync(readFileSync(path.join(dist, asset))).length, 0);
}

async function main() {
  const deps = await benchDeps({
    UPLOAD_PART_BYTES: String(PART),
    PUBLIC_MAX_BYTES: String(2 * GiB),
    RATE_LIMIT_UPLOAD_PER_MINUTE: "10000",
  });
  const server = createApp(deps).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const apiPath = apiPathOf(deps.config.API_URL);
  const user = await createBenchUser(deps.db);
  const bytes = benchBytes(SIZE);
  const numbers = Array.from({ length: Math.ceil(SIZE / PART) }, (_, i) => i + 1);
  const partOf = (n: number) => bytes.subarray((n - 1) * PART, n * PART);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext();
  const { refreshToken } = await startSession({ db: deps.db, userId: user.id, ttlSeconds: 3600 });
  await context.addCookies([
    { name: "coffer_refresh", value: refreshToken, url: `${origin}${apiPath}/auth/refresh`, httpOnly: true },
  ]);
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.getByRole("navigation", { name: "Main" }).waitFor();

  // The file is on disk and picked through a file input, as a person picks it: Chromium then reads it
  // from the file, not from a Blob held in the page.
  const filePath = path.join(tmpdir(), `coffer-bench-${randomUUID()}.bin`);
  writeFileSync(filePath, bytes);
  const web = async () => {
    await page.evaluate(`(() => {
      const input = document.createElement("input");
      input.type = "file";
      input.id = "bench-file";
      input.hidden = true;
      document.body.append(input);
    })()`);
    await page.locator("#bench-file").setInputFiles(filePath);
    const name = path.basename(filePath);
    const seconds = await timed(async () => {
      await page.evaluate(`(() => {
        const input = document.getElementById("bench-file");
        window.dispatchEvent(new CustomEvent("coffer:upload-files", { detail: { files: [...input.files], folderId: null } }));
        input.remove();
      })()`);
      for (;;) {
        const row = await File.query(deps.db).findOne({ ownerId: user.id, name });
        if (row && row.status !== "uploading") break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    });
    await File.query(deps.db).delete().where({ ownerId: user.id, name });
    return seconds;
  };

  const raw = async () =>
    timed(async () => {
      const key = `bench/raw-${randomUUID()}`;
      const uploadId = await deps.storage.createMultipartUpload(key, "application/octet-stream");
      const urls = await Promise.all(
        numbers.map((n) => deps.urls.uploadPart(key, uploadId, n, partOf(n).length, 3600)),
      );
      const parts = await withConcurrency(
        CONCURRENCY,
        numbers.map((n) => async () => {
          const res = await fetch(urls[n - 1], { method: "PUT", body: partOf(n) });
          if (res.status !== 200) throw new Error(`PUT part ${n}: ${res.status}`);
          return { partNumber: n, etag: res.headers.get("etag")! };
        }),
      );
      await deps.storage.completeMultipartUpload(key, uploadId, parts);
      await deps.storage.deleteObject(key);
    });

  console.log(`bench web-upload: ${SIZE / MiB} MiB, ${PART / MiB} MiB parts, ${CONCURRENCY} in flight`);
  const best = { web: Number.POSITIVE_INFINITY, raw: Number.POSITIVE_INFINITY };
  for (let round = 0; round < 3; round++) {
    best.raw = Math.min(best.raw, await raw());
    best.web = Math.min(best.web, await web());
  }
  report(
    "upload throughput (best of 3)",
    { label: "web engine in Chromium", value: mbps(SIZE, best.web) },
    { label: "S3 multipart from Node", value: mbps(SIZE, best.raw) },
    "MiB/s",
    "≥ 0.8",
  );

  const dist = path.resolve(deps.config.WEB_DIST_DIR);
  const total = readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".js") || f.endsWith(".css")).length;
  console.log(
    `\nfirst page: ${(firstPageBytes(dist) / 1024).toFixed(1)} KB gzip of JS and CSS (goal: ≤ 300 KB); ${total} assets in all`,
  );

  await browser.close();
  rmSync(filePath, { force: true });
  await User.query(deps.db).deleteById(user.id);
  server.close();
  await closeDeps(deps);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
