import { UploadPartCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { findOwnedFile } from "../../../db/commands/files/find";
import { User } from "../../../db/models";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { api, initUpload, putParts, randomBytesOf, sha256, uploadFile, waitForStatus } from "../../../test/uploads";

/**
 * A part URL is a capability handed to the uploader. A PUT to it that also names `x-amz-copy-source`
 * turns into an UploadPartCopy: S3 copies another object into the part. Signed with a key that may
 * read, that key reads someone else's file for the attacker. Part URLs are signed with a credential
 * that may only write the upload's own key, so the copy has nothing it may read.
 */
describe("part URLs grant one part of one upload and nothing else", () => {
  let bed: FilesTestbed;
  let url: string;
  let victim: TestUser;
  let secret: Buffer;
  let victimKey: string;
  beforeAll(async () => {
    bed = await startFilesTestbed();
    url = bed.server.url;
    victim = await createUser(bed.deps);
    secret = randomBytesOf(4096);
    const { fileId } = await uploadFile(url, victim, "payroll.xlsx", secret);
    await waitForStatus(url, victim, fileId, ["ready"]);
    victimKey = (await findOwnedFile(bed.deps.db, victim.user.id, fileId)).s3Key;
  });
  afterAll(() => bed.close());

  const quotaOf = async (user: TestUser) => {
    const row = await User.query(bed.deps.db).findById(user.user.id);
    return { used: row!.usedBytes, reserved: row!.reservedBytes };
  };

  /** The attacker's own 25-byte upload and its one part URL. */
  async function attackerUpload() {
    const attacker = await createUser(bed.deps);
    const init = await initUpload(url, attacker, "innocent.txt", 25);
    const fileId = init.body.file.id as string;
    const signed = await api(url, "POST", `/files/${fileId}/parts`, { user: attacker, body: { partNumbers: [1] } });
    return { attacker, fileId, partUrl: signed.body.parts[0].url as string };
  }

  const copyHeaders = (range?: string) => ({
    "x-amz-copy-source": `/${bed.deps.config.S3_BUCKET}/${victimKey}`,
    ...(range ? { "x-amz-copy-source-range": range } : {}),
  });

  it.each([
    ["the whole object", undefined],
    ["a byte range of any length", "bytes=0-4095"],
  ])(
    "refuses a part PUT that copies another user's object (%s), and the attacker gets none of its bytes",
    async (_, range) => {
      const { attacker, fileId, partUrl } = await attackerUpload();
      const copy = await fetch(partUrl, { method: "PUT", headers: copyHeaders(range), body: Buffer.alloc(25, "x") });
      expect(copy.status).toBe(403);
      expect(await copy.text()).toContain("AccessDenied");

      const held = await api(url, "GET", `/files/${fileId}/parts`, { user: attacker });
      expect(held.body.parts).toEqual([]);
      const complete = await api(url, "POST", `/files/${fileId}/complete`, {
        user: attacker,
        body: { parts: [{ partNumber: 1, etag: copy.headers.get("etag") ?? '"00"' }] },
      });
      expect(complete.status).toBe(400);
      expect(complete.body.error.details.reason).toBe("invalid_parts");
      expect(await quotaOf(attacker)).toEqual({ used: 0, reserved: 25 });
    },
  );

  it("would have copied with a URL signed by the server's own key (the attack is real on this S3)", async () => {
    const { attacker, fileId } = await attackerUpload();
    const file = await findOwnedFile(bed.deps.db, attacker.user.id, fileId);
    const ownKeyUrl = await getSignedUrl(
      bed.deps.storage.client,
      new UploadPartCommand({
        Bucket: bed.deps.storage.bucket,
        Key: file.s3Key,
        UploadId: file.uploadId!,
        PartNumber: 1,
        ContentLength: 25,
      }),
      { expiresIn: 60, signableHeaders: new Set(["content-length"]) },
    );
    const copy = await fetch(ownKeyUrl, { method: "PUT", headers: copyHeaders(), body: Buffer.alloc(25, "x") });
    expect(copy.status).toBe(200);
    expect(await copy.text()).toContain("CopyPartResult");

    // Even so, complete refuses a part of another length than signed, fails the upload and refunds it.
    const [part] = (await api(url, "GET", `/files/${fileId}/parts`, { user: attacker })).body.parts;
    expect(part.sizeBytes).toBe(secret.length);
    const complete = await api(url, "POST", `/files/${fileId}/complete`, { user: attacker, body: { parts: [part] } });
    expect(complete.status).toBe(400);
    expect(complete.body.error.details).toEqual({ reason: "size_mismatch", partNumbers: [1] });
    expect((await api(url, "GET", `/files/${fileId}`, { user: attacker })).body.file.status).toBe("failed");
    expect(await quotaOf(attacker)).toEqual({ used: 0, reserved: 0 });
  });

  it("refuses a part URL's PUT to any other key, and still uploads its own part", async () => {
    const { attacker, fileId, partUrl } = await attackerUpload();
    const other = new URL(partUrl);
    other.pathname = other.pathname.replace(/[^/]+$/, "someone-elses-file");
    expect((await fetch(other, { method: "PUT", body: Buffer.alloc(25, "x") })).status).toBe(403);

    const bytes = randomBytesOf(25);
    const parts = await putParts(url, attacker, fileId, bytes, 25, [1]);
    expect((await api(url, "POST", `/files/${fileId}/complete`, { user: attacker, body: { parts } })).status).toBe(202);
    await waitForStatus(url, attacker, fileId, ["ready"]);
    const download = await api(url, "GET", `/files/${fileId}/download`, { user: attacker });
    expect(sha256(Buffer.from(await (await fetch(download.headers.get("location")!)).arrayBuffer()))).toBe(
      sha256(bytes),
    );
    expect(await quotaOf(attacker)).toEqual({ used: 25, reserved: 0 });
  });

  it("signs download URLs with a short-lived credential, not the server's own key", async () => {
    const { fileId } = await uploadFile(url, victim, "notes.txt", randomBytesOf(100));
    await waitForStatus(url, victim, fileId, ["ready"]);
    const location = new URL(
      (await api(url, "GET", `/files/${fileId}/download`, { user: victim })).headers.get("location")!,
    );
    expect(location.searchParams.get("X-Amz-Credential")).not.toMatch(new RegExp(`^${bed.deps.config.S3_ACCESS_KEY}/`));
    expect(location.searchParams.get("X-Amz-Security-Token")).toBeTruthy();
    expect((await fetch(location)).status).toBe(200);
  });
});
