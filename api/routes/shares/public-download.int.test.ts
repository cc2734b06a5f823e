import { File, Share, ShareDownload } from "../../../db/models";
import { randomIp } from "../../../test/accounts";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { downloadShare, eventually, readyFile, shareFile, shareMetadata, shareTestEnv } from "../../../test/shares";
import { api, randomBytesOf, sha256 } from "../../../test/uploads";

const MiB = 1024 * 1024;

/** The exact file name an RFC 6266 / 5987 Content-Disposition carries in filename*. */
function dispositionName(header: string | null): string {
  const match = /filename\*=UTF-8''([^;]+)/.exec(header ?? "");
  if (!match) throw new Error(`no filename* in ${header}`);
  return decodeURIComponent(match[1]);
}

describe("public share downloads", () => {
  let bed: FilesTestbed;
  let url: string;
  let owner: TestUser;
  beforeAll(async () => {
    bed = await startFilesTestbed(shareTestEnv());
    url = bed.server.url;
    owner = await createUser(bed.deps);
  });
  afterAll(() => bed.close());

  const metric = async (name: string) => {
    const text = await bed.deps.registry.getSingleMetricAsString(name);
    return Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)![1]);
  };

  it("shows what the link holds, and no more, to anyone with the link", async () => {
    const fileId = await readyFile(url, owner, "report.pdf", randomBytesOf(1234), { mimeType: "application/pdf" });
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const { token } = await shareFile(url, owner, fileId, { expiresAt, maxDownloads: 3 });
    const res = await shareMetadata(url, token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      kind: "file",
      name: "report.pdf",
      sizeBytes: 1234,
      mimeType: "application/pdf",
      requiresPassword: false,
      expiresAt,
      downloadsRemaining: 3,
    });
    expect(res.headers.get("ratelimit-limit")).toBe("100000");
  });

  it("streams a limited link's file through the API with its length, type and name, counts it and logs it", async () => {
    const bytes = randomBytesOf(7 * MiB + 123);
    const fileId = await readyFile(url, owner, "photos.tar", bytes, { mimeType: "application/x-tar" });
    const { share, token } = await shareFile(url, owner, fileId, { maxDownloads: 1000 });
    const downloadsBefore = await metric("downloads_total");

    const res = await downloadShare(url, token, { ip: "10.20.30.40", userAgent: "share-test/1.0" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).toBe(String(bytes.length));
    // Sent as the type the scan found in the bytes (text here), not the one the uploader declared.
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="photos.tar"; filename*=UTF-8''photos.tar`,
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(sha256(res.bytes!)).toBe(sha256(bytes));
    expect(await metric("downloads_total")).toBe(downloadsBefore + 1);

    const entry = await eventually(
      async () => (await ShareDownload.query(bed.deps.db).where({ shareId: share.id }))[0],
    );
    expect(entry).toMatchObject({ ip: "10.20.30.40", userAgent: "share-test/1.0", bytes: bytes.length });
    const shown = await api(url, "GET", `/shares/${share.id}`, { user: owner });
    expect(shown.body.share).toMatchObject({ downloadCount: 1, downloadsRemaining: 999, state: "active" });
    expect(shown.body.downloads).toEqual([
      {
        id: entry.id,
        at: expect.any(String),
        ip: "10.20.30.40",
        userAgent: "share-test/1.0",
        bytes: bytes.length,
        redirected: false,
      },
    ]);
  });

  it("answers a link with no limit with a 303 to storage: counted and logged then, name and type fixed by the signature", async () => {
    const bytes = randomBytesOf(3 * MiB + 5);
    const fileId = await readyFile(url, owner, "Grüße.tar", bytes, { mimeType: "application/x-tar" });
    const { share, token } = await shareFile(url, owner, fileId);
    const downloadsBefore = await metric("downloads_total");

    const res = await fetch(`${url}/s/${token}/download`, {
      method: "POST",
      headers: { "X-Forwarded-For": "10.20.30.41", "User-Agent": "share-test/2.0" },
      redirect: "manual",
    });
    expect(res.status).toBe(303);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const location = new URL(res.headers.get("location")!);
    expect(location.origin).toBe(new URL(bed.deps.config.S3_PUBLIC_ENDPOINT ?? bed.deps.config.S3_ENDPOINT).origin);
    expect(Number(location.searchParams.get("X-Amz-Expires"))).toBe(bed.deps.config.SHARE_DOWNLOAD_URL_SECONDS);
    // Counted and logged when the redirect is given, not when (or whether) the bytes arrive.
    expect((await Share.query(bed.deps.db).findById(share.id))!.downloadCount).toBe(1);
    expect(await metric("downloads_total")).toBe(downloadsBefore + 1);
    const [entry] = await ShareDownload.query(bed.deps.db).where({ shareId: share.id });
    expect(entry).toMatchObject({
      ip: "10.20.30.41",
      userAgent: "share-test/2.0",
      bytes: bytes.length,
      redirected: true,
    });

    const get = await fetch(location);
    expect(get.status).toBe(200);
    expect(dispositionName(get.headers.get("content-disposition"))).toBe("Grüße.tar");
    // The type the scan found in the bytes, as for a streamed download.
    expect(get.headers.get("content-type")).toBe("text/plain");
    expect(sha256(Buffer.from(await get.arrayBuffer()))).toBe(sha256(bytes));

    // The URL reads this one object, as this name and type, and nothing else.
    const tampered = new URL(location);
    tampered.searchParams.set("response-content-type", "text/html");
    expect((await fetch(tampered)).status).toBe(403);
    const disposition = new URL(location);
    disposition.searchParams.set("response-content-disposition", "inline");
    expect((await fetch(disposition)).status).toBe(403);
    const otherKey = new URL(location);
    otherKey.pathname = otherKey.pathname.replace(/[^/]+$/, "someone-else");
    expect((await fetch(otherKey)).status).toBe(403);
    expect((await fetch(location, { method: "PUT", body: "overwritten" })).status).toBe(403);
    expect((await fetch(location, { method: "DELETE" })).status).toBe(403);
    const again = await fetch(location);
    expect(sha256(Buffer.from(await again.arrayBuffer()))).toBe(sha256(bytes));
  });

  it("gives a redirected download back and answers 410 when the object is gone", async () => {
    const fileId = await readyFile(url, owner, "vanished.bin", randomBytesOf(100));
    const { share, token } = await shareFile(url, owner, fileId);
    const file = await File.query(bed.deps.db).findById(fileId);
    await bed.deps.storage.deleteObject(file!.s3Key);
    const res = await downloadShare(url, token);
    expect(res.status).toBe(410);
    expect(res.body.error).toMatchObject({ code: "share_gone", details: { reason: "file_unavailable" } });
    expect((await Share.query(bed.deps.db).findById(share.id))!.downloadCount).toBe(0);
  });

  it("carries any unicode name safely in Content-Disposition (RFC 6266 / 5987)", async () => {
    const name = 'Grüße – 报告 "final"; 100% 😀.txt';
    const bytes = randomBytesOf(100);
    const fileId = await readyFile(url, owner, name, bytes, { mimeType: "text/plain" });
    const { token } = await shareFile(url, owner, fileId);
    const res = await downloadShare(url, token);
    expect(res.status).toBe(200);
    const header = res.headers.get("content-disposition");
    expect(header).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(dispositionName(header)).toBe(name);
    expect(res.headers.get("content-type")).toBe("text/plain");
    expect(res.bytes).toEqual(bytes);
  });

  it("gives exactly one of 100 parallel downloads of a once-only link the whole file; the rest get 410", async () => {
    const bytes = randomBytesOf(3 * MiB + 17);
    const fileId = await readyFile(url, owner, "once.bin", bytes);
    const { share, token } = await shareFile(url, owner, fileId, { maxDownloads: 1 });

    const replies = await Promise.all(Array.from({ length: 100 }, () => downloadShare(url, token)));
    const served = replies.filter((r) => r.status === 200);
    expect(served).toHaveLength(1);
    expect(served[0].bytes!.length).toBe(bytes.length);
    expect(sha256(served[0].bytes!)).toBe(sha256(bytes));
    const refused = replies.filter((r) => r.status !== 200);
    expect(refused).toHaveLength(99);
    for (const reply of refused) {
      expect(reply.status).toBe(410);
      expect(reply.body).toEqual({
        error: { code: "share_gone", message: expect.any(String), details: { reason: "consumed" } },
        requestId: reply.headers.get("x-request-id"),
      });
    }
    expect((await Share.query(bed.deps.db).findById(share.id))!.downloadCount).toBe(1);
    await eventually(async () =>
      (await ShareDownload.query(bed.deps.db).where({ shareId: share.id })).length === 1 ? true : undefined,
    );
  });

  it("streams 60 slow downloads at once: each holds only its own S3 connection, none waits for another", async () => {
    const bytes = randomBytesOf(24 * MiB);
    const fileId = await readyFile(url, owner, "popular.bin", bytes);
    const { share, token } = await shareFile(url, owner, fileId, { maxDownloads: 1000 });
    // Clients (each from its own address: one address may run only SHARE_DOWNLOADS_PER_IP) that read
    // the headers and then nothing: the API must not buffer their files, and the 60th must get its
    // headers while the other 59 still hold their streams.
    const controllers = Array.from({ length: 60 }, () => new AbortController());
    const replies = await Promise.all(
      controllers.map((controller) =>
        fetch(`${url}/s/${token}/download`, {
          method: "POST",
          headers: { "X-Forwarded-For": randomIp() },
          signal: controller.signal,
        }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(60).fill(200));
    const last = replies.pop()!;
    expect(sha256(Buffer.from(await last.arrayBuffer()))).toBe(sha256(bytes));
    for (const controller of controllers) controller.abort();

    // The access log says how much each client really got: all of it once, a part 59 times.
    const entries = await eventually(async () => {
      const rows = await ShareDownload.query(bed.deps.db).where({ shareId: share.id });
      return rows.length === 60 ? rows : undefined;
    });
    expect(entries.filter((e) => e.bytes === bytes.length)).toHaveLength(1);
    expect(entries.filter((e) => e.bytes < bytes.length)).toHaveLength(59);
  });

  it("lets a password-protected once-only link download once: first 200, second 410 (the seed's flow)", async () => {
    const bytes = randomBytesOf(4096);
    const fileId = await readyFile(url, owner, "contract.pdf", bytes);
    const { token } = await shareFile(url, owner, fileId, { password: "open sesame", maxDownloads: 1 });
    expect((await shareMetadata(url, token)).body).toMatchObject({ requiresPassword: true, downloadsRemaining: 1 });

    const first = await downloadShare(url, token, { password: "open sesame" });
    expect(first.status).toBe(200);
    expect(first.bytes).toEqual(bytes);
    const second = await downloadShare(url, token, { password: "open sesame" });
    expect(second.status).toBe(410);
    expect(second.body.error).toMatchObject({ code: "share_gone", details: { reason: "consumed" } });
    expect((await shareMetadata(url, token)).status).toBe(410);
  });

  it("counts the links that work in shares_active_total at each scrape", async () => {
    const fileId = await readyFile(url, owner, "gauge.txt", randomBytesOf(10));
    const before = await metric("shares_active_total");
    const { share } = await shareFile(url, owner, fileId);
    await shareFile(url, owner, fileId, { maxDownloads: 5 });
    expect(await metric("shares_active_total")).toBe(before + 2);
    await api(url, "DELETE", `/shares/${share.id}`, { user: owner });
    expect(await metric("shares_active_total")).toBe(before + 1);
    const scrape = await api(bed.server.origin, "GET", "/metrics");
    expect(scrape.body).toMatch(/^shares_active_total \d+$/m);
    expect(scrape.body).toMatch(/^downloads_total \d+$/m);
  });
});
