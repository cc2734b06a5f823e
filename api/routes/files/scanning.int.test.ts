import sharp from "sharp";
import { AuditEntry, User } from "../../../db/models";
import { fileLifecycleId } from "../../../lib/file-lifecycle";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { eicar } from "../../../test/samples";
import { startService, stopService } from "../../../test/stack";
import { api, randomBytesOf, uploadFile, waitForStatus } from "../../../test/uploads";

const MiB = 1024 * 1024;

describe("scanning outcomes of FileLifecycle", () => {
  let bed: FilesTestbed;
  let url: string;
  beforeAll(async () => {
    // Files above 6 MiB are more than this scanner takes.
    bed = await startFilesTestbed({ CLAMAV_MAX_BYTES: String(6 * MiB) });
    url = bed.server.url;
  });
  afterAll(() => bed.close());

  const usedBytes = async (user: TestUser) => (await User.query(bed.deps.db).findById(user.user.id))!.usedBytes;
  const detections = async () => (await bed.workerMetrics.virusDetections.get()).values[0]?.value ?? 0;

  it("quarantines EICAR: refunded, unreachable by every route, audited once, counted once", async () => {
    const user = await createUser(bed.deps);
    const before = await detections();
    const { fileId, complete } = await uploadFile(url, user, "eicar.com", eicar);
    expect(complete.status).toBe(202);

    const outcome = await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result();
    expect(outcome).toBe("quarantined");
    const file = await waitForStatus(url, user, fileId, ["quarantined"]);
    expect(file.trashedAt).not.toBeNull();
    expect(await usedBytes(user)).toBe(0);
    expect(await detections()).toBe(before + 1);

    const download = await api(url, "GET", `/files/${fileId}/download`, { user });
    expect(download.status).toBe(409);
    expect(download.body.error.code).toBe("not_ready");
    expect((await api(url, "POST", `/files/${fileId}/restore`, { user })).status).toBe(409);
    expect((await api(url, "GET", `/files/${fileId}/thumbnail`, { user })).status).toBe(404);

    const audits = await AuditEntry.query(bed.deps.db).where({ action: "file.quarantined", targetId: fileId });
    expect(audits).toHaveLength(1);
    expect(audits[0].details).toMatchObject({ signature: expect.stringMatching(/Eicar/i) });
    // The object left the user's prefix for quarantine/.
    expect(await bed.deps.storage.objectSize(`${user.user.id}/${fileId}`)).toBeNull();
    expect(await bed.deps.storage.objectSize(`quarantine/${user.user.id}/${fileId}`)).toBe(eicar.length);
  });

  it("rejects a file larger than the scanner accepts and never makes it ready", async () => {
    const user = await createUser(bed.deps);
    const { fileId } = await uploadFile(url, user, "too-big.bin", randomBytesOf(7 * MiB));
    const file = await waitForStatus(url, user, fileId, ["rejected", "ready"]);
    expect(file.status).toBe("rejected");
    expect(file.statusReason).toMatch(/limit/);
    expect(await usedBytes(user)).toBe(0);
    expect((await api(url, "GET", `/files/${fileId}/download`, { user })).status).toBe(409);
  });

  it("makes a 256 px WebP thumbnail for an image", async () => {
    const user = await createUser(bed.deps);
    const png = await sharp({ create: { width: 1024, height: 512, channels: 3, background: "#3366cc" } })
      .png()
      .toBuffer();
    const { fileId } = await uploadFile(url, user, "wide.png", png, { mimeType: "image/png" });
    await waitForStatus(url, user, fileId, ["ready"]);
    // The thumbnail step runs right after ready.
    let thumbnail = await api(url, "GET", `/files/${fileId}/thumbnail`, { user });
    for (let i = 0; thumbnail.status !== 302 && i < 100; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      thumbnail = await api(url, "GET", `/files/${fileId}/thumbnail`, { user });
    }
    expect(thumbnail.status).toBe(302);
    const image = Buffer.from(await (await fetch(thumbnail.headers.get("location")!)).arrayBuffer());
    expect(await sharp(image).metadata()).toMatchObject({ format: "webp", width: 256, height: 128 });
  });

  it("keeps a file in processing while clamd is down and makes it ready once clamd is back", async () => {
    const user = await createUser(bed.deps);
    await stopService("clamav");
    let fileId: string;
    try {
      ({ fileId } = await uploadFile(url, user, "waits.txt", randomBytesOf(2048)));
      // Several scan attempts fail meanwhile (retry starts at 200 ms).
      await new Promise((resolve) => setTimeout(resolve, 2500));
      const waiting = await api(url, "GET", `/files/${fileId}`, { user });
      expect(waiting.body.file.status).toBe("processing");
      expect((await api(url, "GET", `/files/${fileId}/download`, { user })).status).toBe(409);
    } finally {
      await startService("clamav");
    }
    expect(await waitForStatus(url, user, fileId, ["ready"], 60_000)).toMatchObject({ status: "ready" });
    expect(await usedBytes(user)).toBe(2048);
  });
});
