import { AuditEntry, File, User } from "../../../db/models";
import { fileLifecycleId } from "../../../lib/file-lifecycle";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { eicar } from "../../../test/samples";
import { uploadFile } from "../../../test/uploads";
import { areaPrefix } from "../../../lib/object-keys";

/** Room for three EICAR files per user. */
const cap = 3 * eicar.length;

describe("the per-user cap on quarantined bytes", () => {
  let bed: FilesTestbed;
  beforeAll(async () => {
    bed = await startFilesTestbed({ QUARANTINE_MAX_BYTES_PER_USER: String(cap) });
  });
  afterAll(() => bed.close());

  /** Bytes S3 holds under the user's quarantine prefix. */
  const quarantinedBytes = async (user: TestUser) => {
    const page = await bed.deps.storage.listObjectsPage({
      prefix: areaPrefix("quarantine", user.user.id),
      maxKeys: 1000,
    });
    return page.objects.reduce((sum, object) => sum + object.sizeBytes, 0);
  };
  const uploadInfected = async (user: TestUser, name: string) => {
    const { fileId } = await uploadFile(bed.server.url, user, name, eicar);
    expect(await bed.deps.temporal.workflow.getHandle(fileLifecycleId(fileId)).result()).toBe("quarantined");
    return fileId;
  };

  it("keeps one user's quarantine within the cap however many infected files they upload, the newest kept", async () => {
    const user = await createUser(bed.deps);
    const other = await createUser(bed.deps);
    const othersFile = await uploadInfected(other, "other.com");

    const uploaded: string[] = [];
    for (let i = 0; i < 7; i++) {
      uploaded.push(await uploadInfected(user, `eicar-${i}.com`));
      expect(await quarantinedBytes(user)).toBeLessThanOrEqual(cap);
    }
    expect(await quarantinedBytes(user)).toBe(cap);

    // The three newest stay quarantined with their objects; the older ones are gone, row and object.
    const kept = await File.query(bed.deps.db).where({ ownerId: user.user.id }).orderBy("trashedAt");
    expect(kept.map((file) => [file.id, file.status])).toEqual(uploaded.slice(-3).map((id) => [id, "quarantined"]));
    const deletions = await AuditEntry.query(bed.deps.db)
      .where({ action: "file.deleted" })
      .whereIn("targetId", uploaded);
    expect(deletions.map((entry) => entry.targetId).sort()).toEqual(uploaded.slice(0, 4).sort());
    expect(deletions.every((entry) => entry.details.reason === "quarantine_cap")).toBe(true);
    // Their detections stay on record.
    expect(
      await AuditEntry.query(bed.deps.db)
        .where({ action: "file.quarantined" })
        .whereIn("targetId", uploaded)
        .resultSize(),
    ).toBe(7);

    // Quarantined bytes never counted against the quota, so nothing moved there.
    expect(await User.query(bed.deps.db).findById(user.user.id)).toMatchObject({ usedBytes: 0, reservedBytes: 0 });
    // Another user's quarantine is theirs alone.
    expect(await quarantinedBytes(other)).toBe(eicar.length);
    expect((await File.query(bed.deps.db).findById(othersFile))?.status).toBe("quarantined");
  });
});
