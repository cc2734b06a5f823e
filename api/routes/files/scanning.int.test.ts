import sharp from "sharp";
import { AuditEntry, User } from "../../../db/models";
import { fileLifecycleId } from "../../../lib/file-lifecycle";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { eicar } from "../../../test/samples";
import { startService, stopService } from "../../../test/stack";
import { api, randomBytesOf, uploadFile, waitForStatus } from "../../../test/uploads";
import { fileKey, quarantineKey } from "../../../lib/object-keys";
import { quarantineFile } from "../../../db/commands/files/lifecycle";
import { waitFor } from "../../../test/wait";

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
    expect(await bed.deps.storage.objectSize(fileKey({ ownerId: user.user.id, id: fileId }))).toBeNull();
    expect(await bed.deps.storage.objectSize(quarantineKey({ ownerId: user.user.id, id: fileId }))).toBe(eicar.length);
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
    const thumbnail = await waitFor("the thumbnail", async () => {
      const answer = await api(url, "GET", `/files/${fileId}/thumbnail`, { user });
      return answer.status === 302 && answer;
    });
    const image = Buffer.from(await (await fetch(thumbnail.headers.get("location")!)).arrayBuffer());
    expect(await sharp(image).metadata()).toMatchObject({ format: "webp", width: 256, height: 128 });
  });

  it("keeps a file ready without a thumbnail when the thumbnail fails", async () => {
    const user = await createUser(bed.deps);
    // A PNG signature, then bytes no decoder takes: the type checks pass, sharp fails every attempt.
    const broken = Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), randomBytesOf(4096)]);
    const { fileId } = await uploadFile(url, user, "broken.png", broken, { mimeType: "image/png" });
    expect(await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result()).toBe("ready");
    const file = await waitForStatus(url, user, fileId, ["ready"]);
    expect(file.hasThumbnail).toBe(false);
    expect((await api(url, "GET", `/files/${fileId}/thumbnail`, { user })).status).toBe(404);
    expect((await api(url, "GET", `/files/${fileId}/download`, { user })).status).toBe(302);
    expect(await usedBytes(user)).toBe(broken.length);
  });

  it("refunds a quarantined file's bytes once however often the quarantine step is replayed", async () => {
    const user = await createUser(bed.deps);
    const kept = randomBytesOf(3000);
    const { fileId: keptId } = await uploadFile(url, user, "kept.bin", kept);
    await waitForStatus(url, user, keptId, ["ready"]);
    const { fileId } = await uploadFile(url, user, "eicar.com", eicar);
    await waitForStatus(url, user, fileId, ["quarantined"]);
    expect(await usedBytes(user)).toBe(kept.length);

    // An activity retried after its first attempt committed (a worker lost before reporting back).
    const props = { fileId, signature: "Eicar-Signature", sha256: null, maxQuarantinedBytes: 1024 * MiB };
    const replays = await Promise.all([
      quarantineFile(bed.deps.db, bed.deps.storage, props),
      quarantineFile(bed.deps.db, bed.deps.storage, props),
    ]);
    for (const replay of replays) expect(replay.quarantined).toBe(false);
    expect(await usedBytes(user)).toBe(kept.length);
    expect(await AuditEntry.query(bed.deps.db).where({ action: "file.quarantined", targetId: fileId })).toHaveLength(1);
    expect(await bed.deps.storage.objectSize(quarantineKey({ ownerId: user.user.id, id: fileId }))).toBe(eicar.length);
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
