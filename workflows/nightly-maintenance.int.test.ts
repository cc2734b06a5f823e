import { randomUUID } from "node:crypto";
import { AuditEntry, File, Folder, Share, User } from "../db/models";
import { createUser, type TestUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import {
  DAY,
  expectReported,
  housekeepingTestSettings,
  keysOf,
  plantFile,
  plantFolder,
  runNightlyMaintenance,
  snapshotOf,
} from "../test/housekeeping";
import { quarantineKey, thumbnailKey } from "../lib/object-keys";

const HOUR = 3600 * 1000;

describe("nightly maintenance", () => {
  let bed: FilesTestbed;
  beforeAll(async () => {
    bed = await startFilesTestbed(housekeepingTestSettings);
  });
  afterAll(async () => {
    await bed.close();
  });

  const usedOf = async (user: TestUser) => (await User.query(bed.deps.db).findById(user.user.id))!.usedBytes;
  const reconciledEntries = (user: TestUser) =>
    AuditEntry.query(bed.deps.db).where({ targetId: user.user.id, action: "storage.reconciled" }).orderBy("id");
  const putOrphan = async (key: string, bytes: number) => {
    await bed.deps.storage.putObject(key, Buffer.alloc(bytes, 1), "application/octet-stream");
    return key;
  };

  it("corrects a corrupted used_bytes, reports orphans and missing objects, and deletes orphans once old enough", async () => {
    const user = await createUser(bed.deps);
    const uid = user.user.id;
    const a = await plantFile(bed, uid, { status: "ready", bytes: Buffer.alloc(1000, 7) });
    const trashed = await plantFile(bed, uid, { status: "ready", bytes: Buffer.alloc(300, 7), trashedAt: new Date() });
    const lost = await plantFile(bed, uid, { status: "ready", bytes: Buffer.alloc(50, 7), withObject: false });
    await plantFile(bed, uid, { status: "quarantined", bytes: Buffer.alloc(70, 7), trashedAt: new Date() });
    const right = a.sizeBytes + trashed.sizeBytes + lost.sizeBytes;
    expect(await usedOf(user)).toBe(right);
    await bed.deps.db("users").where({ id: uid }).update({ usedBytes: 999_999 });
    const orphans = [
      await putOrphan(`${uid}/${randomUUID()}`, 11),
      await putOrphan(`${uid}/not-a-file-id.txt`, 12),
      await putOrphan(quarantineKey({ ownerId: uid, id: randomUUID() }), 13),
      await putOrphan(thumbnailKey({ ownerId: uid, id: randomUUID() }), 14),
    ].sort();

    // The orphans are minutes old: reported, kept.
    const first = await runNightlyMaintenance(bed, { orphanObjectMinAgeMs: HOUR });
    expect(await usedOf(user)).toBe(right);
    expectReported(first.reconcile.usersCorrected, [uid]);
    expectReported(first.reconcile.missingObjects, [lost.id]);
    for (const key of orphans) expect(await keysOf(bed, uid)).toContain(key);
    const [entry] = await reconciledEntries(user);
    expect(entry.details).toMatchObject({
      usedBytesBefore: 999_999,
      usedBytesAfter: right,
      drift: right - 999_999,
      orphanObjects: 4,
      orphanBytes: 11 + 12 + 13 + 14,
      orphansDeleted: 0,
      missingObjects: 1,
      missingBytes: 50,
      missingFileIds: [lost.id],
    });
    expect([...(entry.details.orphanKeys as string[])].sort()).toEqual(orphans);
    const metrics = await bed.workerRegistry.metrics();
    expect(metrics).toMatch(/^reconcile_drift_bytes_total [1-9]\d*$/m);
    expect(metrics).toMatch(/^orphan_objects_total [1-9]\d*$/m);

    // Once old enough (here: at once) they are deleted; used_bytes needs no more correction.
    const second = await runNightlyMaintenance(bed, { orphanObjectMinAgeMs: 0 });
    expect(second.reconcile.usersCorrected.sample).not.toContain(uid);
    const keys = await keysOf(bed, uid);
    for (const key of orphans) expect(keys).not.toContain(key);
    expect(keys).toEqual(expect.arrayContaining([a.s3Key, trashed.s3Key]));
    expect(await usedOf(user)).toBe(right);
    const entries = await reconciledEntries(user);
    expect(entries).toHaveLength(2);
    expect(entries[1].details).toMatchObject({ drift: 0, orphanObjects: 4, orphansDeleted: 4, missingObjects: 1 });
    expect(await bed.workerRegistry.metrics()).toMatch(/^orphan_objects_deleted_total [1-9]\d*$/m);

    // Nothing left to say: a third run records nothing new for this user... but the missing object.
    await runNightlyMaintenance(bed, { orphanObjectMinAgeMs: 0 });
    const third = (await reconciledEntries(user))[2];
    expect(third.details).toMatchObject({ drift: 0, orphanObjects: 0, missingObjects: 1 });
  });

  it("joins listing and rows correctly across many small pages", async () => {
    const user = await createUser(bed.deps);
    const uid = user.user.id;
    const planted: File[] = [];
    // Pages of 2 keys, 20 keys per activity call: the user's keys span several calls.
    for (let i = 0; i < 12; i++)
      planted.push(await plantFile(bed, uid, { status: "ready", withObject: i % 3 !== 0, withThumbnail: i % 4 === 0 }));
    const orphans: string[] = [];
    for (let i = 0; i < 14; i++) orphans.push(await putOrphan(`${uid}/${randomUUID()}`, 5));
    const missing = planted.filter((_, i) => i % 3 === 0);

    await runNightlyMaintenance(bed, { orphanObjectMinAgeMs: HOUR, batchSize: 2, maxHistoryEvents: 40 });
    const [entry] = await reconciledEntries(user);
    expect(entry.details).toMatchObject({
      drift: 0,
      orphanObjects: 14,
      orphanBytes: 70,
      missingObjects: 4,
      orphansDeleted: 0,
    });
    expect([...(entry.details.orphanKeys as string[])].sort()).toEqual(orphans.sort());
    expect([...(entry.details.missingFileIds as string[])].sort()).toEqual(missing.map((file) => file.id).sort());
  });

  it("purges trash, quarantine and failed uploads past retention with their objects, shares and bytes; younger ones stay", async () => {
    const user = await createUser(bed.deps);
    const uid = user.user.id;
    const old = (days: number) => new Date(Date.now() - days * DAY);
    const trashOld = await plantFile(bed, uid, { status: "ready", trashedAt: old(31), withThumbnail: true });
    const trashOldProcessing = await plantFile(bed, uid, { status: "processing", trashedAt: old(40) });
    const trashYoung = await plantFile(bed, uid, { status: "ready", trashedAt: old(29) });
    const live = await plantFile(bed, uid, { status: "ready" });
    const quarantineOld = await plantFile(bed, uid, { status: "quarantined", trashedAt: old(31) });
    const quarantineYoung = await plantFile(bed, uid, { status: "quarantined", trashedAt: old(2) });
    const failedOld = await plantFile(bed, uid, { status: "failed", updatedAt: old(8), withObject: false });
    const failedYoung = await plantFile(bed, uid, { status: "failed", updatedAt: old(6), withObject: false });
    const folderOld = await plantFolder(bed, uid, { trashedAt: old(31) });
    const subfolderOld = await plantFolder(bed, uid, { parentId: folderOld.id, trashedAt: old(31) });
    const inFolderOld = await plantFile(bed, uid, { status: "ready", folderId: subfolderOld.id, trashedAt: old(31) });
    const folderYoung = await plantFolder(bed, uid, { trashedAt: old(3) });
    const inFolderYoung = await plantFile(bed, uid, { status: "ready", folderId: folderYoung.id, trashedAt: old(3) });
    const share = await Share.query(bed.deps.db).insertAndFetch({
      fileId: trashOld.id,
      ownerId: uid,
      token: randomUUID(),
    });

    const gone = [trashOld, trashOldProcessing, quarantineOld, failedOld, inFolderOld];
    const kept = [trashYoung, live, quarantineYoung, failedYoung, inFolderYoung];
    const usedBefore = await usedOf(user);
    const releasedBytes = trashOld.sizeBytes + trashOldProcessing.sizeBytes + inFolderOld.sizeBytes;

    const report = await runNightlyMaintenance(bed, { batchSize: 2, maxHistoryEvents: 30 });
    expectReported(report.purged.trash, [trashOld.id, trashOldProcessing.id, inFolderOld.id]);
    expectReported(report.purged.quarantine, [quarantineOld.id]);
    expectReported(report.purged.failed, [failedOld.id]);
    expectReported(report.purged.folders, [folderOld.id, subfolderOld.id]);
    // The purge released exactly the bytes it should: the reconcile found nothing to correct.
    expect(report.reconcile.usersCorrected.sample).not.toContain(uid);
    expect(await usedOf(user)).toBe(usedBefore - releasedBytes);

    const remaining = await File.query(bed.deps.db).where({ ownerId: uid });
    expect(remaining.map((file) => file.id).sort()).toEqual(kept.map((file) => file.id).sort());
    expect((await Folder.query(bed.deps.db).where({ ownerId: uid })).map((folder) => folder.id)).toEqual([
      folderYoung.id,
    ]);
    const keys = await keysOf(bed, uid);
    for (const file of gone) expect(keys).not.toContain(file.s3Key);
    expect(keys).not.toContain(trashOld.thumbnailKey);
    for (const file of kept.filter((f) => f.status !== "failed")) expect(keys).toContain(file.s3Key);
    const revoked = (await Share.query(bed.deps.db).findById(share.id))!;
    expect(revoked.revokedAt).not.toBeNull();
    expect(revoked.fileId).toBeNull();
    const deletions = await AuditEntry.query(bed.deps.db)
      .whereIn(
        "targetId",
        gone.map((file) => file.id),
      )
      .where({ action: "file.deleted" });
    expect(deletions.map((entry) => entry.details.reason).sort()).toEqual([
      "failed_retention",
      "quarantine_retention",
      "trash_retention",
      "trash_retention",
      "trash_retention",
    ]);
    expect(await bed.workerRegistry.metrics()).toMatch(/^files_purged_total\{reason="trash"\} [1-9]\d*$/m);

    // A second run deletes nothing more and releases nothing twice.
    const again = await runNightlyMaintenance(bed);
    for (const file of kept) expect(again.purged.trash.sample).not.toContain(file.id);
    expect(await usedOf(user)).toBe(usedBefore - releasedBytes);
    expect((await File.query(bed.deps.db).where({ ownerId: uid })).length).toBe(kept.length);
  });

  it("keeps a due file whose owner's used_bytes is below its size, corrects the counter, and purges the file the next night", async () => {
    const user = await createUser(bed.deps);
    const due = await plantFile(bed, user.user.id, {
      status: "ready",
      bytes: Buffer.alloc(500, 1),
      trashedAt: new Date(Date.now() - 31 * DAY),
    });
    await bed.deps.db("users").where({ id: user.user.id }).update({ usedBytes: 10 });

    const first = await runNightlyMaintenance(bed);
    expectReported(first.purged.blocked, [due.id]);
    expect(first.purged.trash.sample).not.toContain(due.id);
    expect(await File.query(bed.deps.db).findById(due.id)).toBeDefined();
    expect(await usedOf(user)).toBe(500);

    const second = await runNightlyMaintenance(bed);
    expectReported(second.purged.trash, [due.id]);
    expect(await File.query(bed.deps.db).findById(due.id)).toBeUndefined();
    expect(await usedOf(user)).toBe(0);
    expect(await keysOf(bed, user.user.id)).toEqual([]);
  });

  it("with dryRun reports what it would purge, correct and delete, and changes nothing", async () => {
    const user = await createUser(bed.deps);
    const uid = user.user.id;
    const trashOld = await plantFile(bed, uid, { status: "ready", trashedAt: new Date(Date.now() - 31 * DAY) });
    const folderOld = await plantFolder(bed, uid, { trashedAt: new Date(Date.now() - 31 * DAY) });
    const orphan = await putOrphan(`${uid}/${randomUUID()}`, 9);
    await bed.deps.db("users").where({ id: uid }).update({ usedBytes: 5 });
    const before = await snapshotOf(bed, [uid]);

    const report = await runNightlyMaintenance(bed, { dryRun: true, orphanObjectMinAgeMs: 0 });
    expect(report.dryRun).toBe(true);
    expectReported(report.purged.trash, [trashOld.id]);
    expectReported(report.purged.folders, [folderOld.id]);
    expectReported(report.reconcile.usersCorrected, [uid]);
    expectReported(report.reconcile.orphansDeleted, [orphan]);
    expect(await snapshotOf(bed, [uid])).toEqual(before);
  });
});
