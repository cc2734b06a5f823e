import http from "node:http";
import { Share, ShareDownload } from "../../../db/models";
import { randomIp } from "../../../test/accounts";
import { startTestServer } from "../../../test/deps";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { downloadShare, eventually, readyFile, shareFile, shareTestEnv } from "../../../test/shares";
import { randomBytesOf, sha256 } from "../../../test/uploads";

const MiB = 1024 * 1024;

interface HeldDownload {
  status: number;
  res: http.IncomingMessage;
  /** Reads what is left; resolves with the bytes received and whether the body ended normally. */
  drain(): Promise<{ bytes: number; complete: boolean }>;
  /** Closes the client's socket. */
  drop(): void;
}

const heldDownloads: HeldDownload[] = [];

/** POST /s/:token/download from a client that takes the headers and then reads nothing. */
function holdDownload(url: string, token: string, ip: string): Promise<HeldDownload> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/s/${token}/download`, {
      method: "POST",
      agent: false,
      headers: { "X-Forwarded-For": ip },
    });
    req.once("error", reject);
    req.once("response", (res) => {
      let bytes = 0;
      const drain = () =>
        new Promise<{ bytes: number; complete: boolean }>((done) => {
          res.on("data", (chunk: Buffer) => (bytes += chunk.length));
          res.once("end", () => done({ bytes, complete: res.complete }));
          res.once("error", () => done({ bytes, complete: false }));
          res.once("close", () => done({ bytes, complete: res.complete }));
        });
      const held = { status: res.statusCode!, res, drain, drop: () => req.destroy() };
      heldDownloads.push(held);
      resolve(held);
    });
    req.end();
  });
}

describe("share download limits", () => {
  let bed: FilesTestbed;
  let owner: TestUser;
  const bytes = randomBytesOf(24 * MiB);
  let token: string;
  let shareId: string;
  beforeAll(async () => {
    // The stall limit leaves room for a whole download on a busy machine: client and server share this
    // process, so a slow second of it must not count as a client that stopped reading.
    bed = await startFilesTestbed(
      shareTestEnv({ SHARE_DOWNLOADS_PER_IP: "2", SHARE_DOWNLOADS_MAX: "3", SHARE_DOWNLOAD_STALL_SECONDS: "5" }),
    );
    owner = await createUser(bed.deps);
    const fileId = await readyFile(bed.server.url, owner, "big.bin", bytes);
    ({
      token,
      share: { id: shareId },
    } = await shareFile(bed.server.url, owner, fileId, { maxDownloads: 1_000_000 }));
  });
  afterEach(() => heldDownloads.splice(0).forEach((held) => held.drop()));
  afterAll(() => bed.close());

  const downloadCount = async (id: string) => (await Share.query(bed.deps.db).findById(id))!.downloadCount;

  it("refuses a download over the per-IP or the global cap with 429 before counting it, and frees the slots when clients go", async () => {
    // A server of its own that never cuts stalled clients, so the held downloads stay held.
    const patient = await startTestServer({
      ...bed.deps,
      config: { ...bed.deps.config, SHARE_DOWNLOAD_STALL_SECONDS: 3600 },
    });
    try {
      const smallId = await readyFile(bed.server.url, owner, "once.txt", randomBytesOf(1000));
      const once = await shareFile(bed.server.url, owner, smallId, { maxDownloads: 1 });
      const ip = randomIp();
      const held = [await holdDownload(patient.url, token, ip), await holdDownload(patient.url, token, ip)];
      expect(held.map((h) => h.status)).toEqual([200, 200]);

      const perIp = await downloadShare(patient.url, once.token, { ip });
      expect(perIp.status).toBe(429);
      expect(perIp.body).toEqual({
        error: {
          code: "too_many_downloads",
          message: expect.any(String),
          details: { retryAfterSeconds: expect.any(Number) },
        },
        requestId: perIp.headers.get("x-request-id"),
      });
      expect(Number(perIp.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await downloadCount(once.share.id)).toBe(0);

      held.push(await holdDownload(patient.url, token, randomIp()));
      expect(held[2].status).toBe(200);
      const busy = await downloadShare(patient.url, once.token, { ip: randomIp() });
      expect(busy.status).toBe(429);
      expect(busy.body.error).toMatchObject({
        code: "downloads_busy",
        details: { retryAfterSeconds: expect.any(Number) },
      });
      expect(busy.headers.get("retry-after")).not.toBeNull();
      expect(await downloadCount(once.share.id)).toBe(0);

      // A link with no limit redirects to storage and holds no slot: it still answers while all are taken.
      const unlimited = await shareFile(bed.server.url, owner, smallId);
      const redirected = await fetch(`${patient.url}/s/${unlimited.token}/download`, {
        method: "POST",
        headers: { "X-Forwarded-For": ip },
        redirect: "manual",
      });
      expect(redirected.status).toBe(303);
      expect(await downloadCount(unlimited.share.id)).toBe(1);

      for (const h of held) h.drop();
      const served = await eventually(async () => {
        const reply = await downloadShare(patient.url, once.token, { ip });
        return reply.status === 429 ? undefined : reply;
      });
      expect(served.status).toBe(200);
      expect(served.bytes!.length).toBe(1000);
      expect(await downloadCount(once.share.id)).toBe(1);
    } finally {
      heldDownloads.splice(0).forEach((held) => held.drop());
      await patient.close();
    }
  });

  it("cuts downloads whose clients stop reading after SHARE_DOWNLOAD_STALL_SECONDS and frees their S3 connections", async () => {
    const before = await ShareDownload.query(bed.deps.db).where({ shareId }).resultSize();
    // Three clients that never read: together they hold every slot and every S3 download socket.
    const held = await Promise.all([0, 1, 2].map(() => holdDownload(bed.server.url, token, randomIp())));
    expect(held.map((h) => h.status)).toEqual([200, 200, 200]);

    // The server ends them on its own (the clients still hold their sockets): each logs a part.
    const cut = await eventually(async () => {
      const rows = await ShareDownload.query(bed.deps.db).where({ shareId }).orderBy("id");
      return rows.length === before + 3 ? rows.slice(before) : undefined;
    }, 30_000);
    for (const entry of cut) expect(entry.bytes).toBeLessThan(bytes.length);
    for (const h of held) expect(await h.drain()).toMatchObject({ complete: false });

    // Every slot and S3 socket is free again: three whole downloads at once go through.
    const replies = await Promise.all([0, 1, 2].map(() => downloadShare(bed.server.url, token)));
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(sha256(reply.bytes!)).toBe(sha256(bytes));
    }
  }, 120_000);
});
