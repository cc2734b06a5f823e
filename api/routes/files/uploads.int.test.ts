import { User } from "../../../db/models";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { findOwnedFile } from "../../../db/commands/files/find";
import {
  api,
  initUpload,
  putPartDirectly,
  putParts,
  randomBytesOf,
  sha256,
  uploadFile,
  waitForStatus,
} from "../../../test/uploads";

const MiB = 1024 * 1024;

describe("uploads", () => {
  let bed: FilesTestbed;
  let url: string;
  beforeAll(async () => {
    // Room for 20 parallel uploads, so the quota is what refuses them.
    bed = await startFilesTestbed({ MAX_CONCURRENT_UPLOADS: "25" });
    url = bed.server.url;
  });
  afterAll(() => bed.close());

  const quotaOf = async (user: TestUser) => {
    const row = await User.query(bed.deps.db).findById(user.user.id);
    return { used: row!.usedBytes, reserved: row!.reservedBytes };
  };

  it("takes a 3-part upload through presigned URLs to ready with the right size and sha256", async () => {
    const user = await createUser(bed.deps);
    const bytes = randomBytesOf(12 * MiB + 123);
    const init = await initUpload(url, user, "three-parts.bin", bytes.length);
    expect(init.status).toBe(201);
    expect(init.body).toMatchObject({ partSize: 5 * MiB, partCount: 3, file: { status: "uploading" } });
    expect(await quotaOf(user)).toEqual({ used: 0, reserved: bytes.length });

    const fileId = init.body.file.id;
    const parts = await putParts(url, user, fileId, bytes, 5 * MiB, [1, 2, 3]);
    const complete = await api(url, "POST", `/files/${fileId}/complete`, { user, body: { parts } });
    expect(complete.status).toBe(202);
    expect(complete.body.file).toMatchObject({ status: "processing", sizeBytes: bytes.length });
    expect(await quotaOf(user)).toEqual({ used: bytes.length, reserved: 0 });

    const ready = await waitForStatus(url, user, fileId, ["ready"]);
    expect(ready).toMatchObject({ sizeBytes: bytes.length, sha256: sha256(bytes), name: "three-parts.bin" });

    const download = await api(url, "GET", `/files/${fileId}/download`, { user });
    expect(download.status).toBe(302);
    const object = await fetch(download.headers.get("location")!);
    expect(object.headers.get("content-disposition")).toContain('filename="three-parts.bin"');
    expect(sha256(Buffer.from(await object.arrayBuffer()))).toBe(sha256(bytes));

    const again = await api(url, "POST", `/files/${fileId}/complete`, { user, body: { parts } });
    expect(again.status).toBe(202);
    expect(await quotaOf(user)).toEqual({ used: bytes.length, reserved: 0 });
  });

  it("resumes after the client is lost: list the parts S3 holds, upload the rest, complete", async () => {
    const user = await createUser(bed.deps);
    const bytes = randomBytesOf(11 * MiB);
    const init = await initUpload(url, user, "resumed.bin", bytes.length);
    const fileId = init.body.file.id;
    await putParts(url, user, fileId, bytes, 5 * MiB, [1, 3]);

    // A new client knows only the file id.
    const held = await api<{ parts: { partNumber: number; etag: string; sizeBytes: number }[] }>(
      url,
      "GET",
      `/files/${fileId}/parts`,
      { user },
    );
    expect(held.status).toBe(200);
    expect(held.body.parts.map((p) => p.partNumber)).toEqual([1, 3]);
    const rest = await putParts(url, user, fileId, bytes, 5 * MiB, [2]);
    const parts = [...held.body.parts.map(({ partNumber, etag }) => ({ partNumber, etag })), ...rest];
    expect((await api(url, "POST", `/files/${fileId}/complete`, { user, body: { parts } })).status).toBe(202);
    expect(await waitForStatus(url, user, fileId, ["ready"])).toMatchObject({ sha256: sha256(bytes) });
  });

  it("never lets 20 parallel inits reserve more than the quota", async () => {
    const quota = 50 * MiB;
    const user = await createUser(bed.deps, { quotaBytes: quota });
    const size = 8 * MiB; // 6 fit, 14 must be refused
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => initUpload(url, user, `parallel-${i}.bin`, size)),
    );
    const refused = results.filter((r) => r.status !== 201);
    expect(results.length - refused.length).toBe(6);
    for (const r of refused) {
      expect(r.status).toBe(413);
      expect(r.body.error.code).toBe("quota_exceeded");
    }
    expect(await quotaOf(user)).toEqual({ used: 0, reserved: 6 * size });
  });

  it("refuses the init that would pass the quota with 413 quota_exceeded, counting used and reserved bytes", async () => {
    const user = await createUser(bed.deps, { quotaBytes: 10 * MiB });
    const first = await initUpload(url, user, "a.bin", 6 * MiB);
    expect(first.status).toBe(201);
    const second = await initUpload(url, user, "b.bin", 5 * MiB);
    expect(second.status).toBe(413);
    expect(second.body).toMatchObject({ error: { code: "quota_exceeded" }, requestId: expect.any(String) });
    const fits = await initUpload(url, user, "c.bin", 4 * MiB);
    expect(fits.status).toBe(201);
  });

  it("holds a user to MAX_CONCURRENT_UPLOADS open uploads with 429 too_many_uploads", async () => {
    const user = await createUser(bed.deps);
    for (let i = 0; i < bed.deps.config.MAX_CONCURRENT_UPLOADS; i++) {
      expect((await initUpload(url, user, `open-${i}.bin`, 1024)).status).toBe(201);
    }
    const refused = await initUpload(url, user, "one-too-many.bin", 1024);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("too_many_uploads");
  });

  it("refuses a file above PUBLIC_MAX_BYTES with 413 file_too_large", async () => {
    const user = await createUser(bed.deps);
    const res = await initUpload(url, user, "huge.bin", bed.deps.config.PUBLIC_MAX_BYTES + 1);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("file_too_large");
  });

  it("releases the reservation on abort, and a second abort is harmless", async () => {
    const user = await createUser(bed.deps);
    const init = await initUpload(url, user, "aborted.bin", 7 * MiB);
    const fileId = init.body.file.id;
    expect(await quotaOf(user)).toEqual({ used: 0, reserved: 7 * MiB });
    expect((await api(url, "DELETE", `/files/${fileId}/upload`, { user })).status).toBe(204);
    expect((await api(url, "DELETE", `/files/${fileId}/upload`, { user })).status).toBe(204);
    expect(await quotaOf(user)).toEqual({ used: 0, reserved: 0 });
    const parts = await api(url, "POST", `/files/${fileId}/parts`, { user, body: { partNumbers: [1] } });
    expect(parts.status).toBe(409);
  });

  it("lets S3 refuse a part whose size differs from the one signed into its URL", async () => {
    const user = await createUser(bed.deps);
    const init = await initUpload(url, user, "exact.bin", 6 * MiB);
    const signed = await api(url, "POST", `/files/${init.body.file.id}/parts`, { user, body: { partNumbers: [1, 2] } });
    expect(signed.body.parts.map((p: { sizeBytes: number }) => p.sizeBytes)).toEqual([5 * MiB, 1 * MiB]);
    const [first, last] = signed.body.parts as { url: string }[];
    expect((await fetch(first.url, { method: "PUT", body: randomBytesOf(6 * MiB) })).status).toBe(403);
    expect((await fetch(last.url, { method: "PUT", body: randomBytesOf(1000) })).status).toBe(403);
    expect((await fetch(last.url, { method: "PUT", body: randomBytesOf(1 * MiB) })).status).toBe(200);
  });

  it("aborts an upload whose stored size differs from the declared one and releases its reservation", async () => {
    const user = await createUser(bed.deps);
    const declared = 6 * MiB;
    const init = await initUpload(url, user, "liar.bin", declared);
    const fileId = init.body.file.id;
    const file = await findOwnedFile(bed.deps.db, user.user.id, fileId);
    // Fewer bytes than declared, stored past the signed part lengths.
    const parts = [
      await putPartDirectly(bed.deps.storage, file.s3Key, file.uploadId!, 1, randomBytesOf(5 * MiB)),
      await putPartDirectly(bed.deps.storage, file.s3Key, file.uploadId!, 2, randomBytesOf(MiB - 1000)),
    ];
    const complete = await api(url, "POST", `/files/${fileId}/complete`, { user, body: { parts } });
    expect(complete.status).toBe(400);
    expect(complete.body.error.details).toEqual({ reason: "size_mismatch", partNumbers: [2] });
    expect(await quotaOf(user)).toEqual({ used: 0, reserved: 0 });
    expect((await api(url, "GET", `/files/${fileId}`, { user })).body.file.status).toBe("failed");
  });

  it("answers a complete that lists the wrong parts with 400 and keeps the upload open", async () => {
    const user = await createUser(bed.deps);
    const bytes = randomBytesOf(6 * MiB);
    const init = await initUpload(url, user, "gaps.bin", bytes.length);
    const fileId = init.body.file.id;
    const parts = await putParts(url, user, fileId, bytes, 5 * MiB, [1, 2]);
    const missing = await api(url, "POST", `/files/${fileId}/complete`, { user, body: { parts: [parts[0]] } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toMatchObject({ reason: "missing_parts", missing: [2] });
    const wrongEtag = await api(url, "POST", `/files/${fileId}/complete`, {
      user,
      body: { parts: [parts[0], { partNumber: 2, etag: '"0000"' }] },
    });
    expect(wrongEtag.status).toBe(400);
    expect((await api(url, "POST", `/files/${fileId}/complete`, { user, body: { parts } })).status).toBe(202);
  });

  it("records heartbeats of an open upload and refuses them once it is closed", async () => {
    const user = await createUser(bed.deps);
    const { fileId } = await uploadFile(url, user, "beat.bin", randomBytesOf(1000));
    const open = await initUpload(url, user, "beating.bin", 1000);
    expect((await api(url, "POST", `/files/${open.body.file.id}/heartbeat`, { user })).status).toBe(204);
    expect((await api(url, "POST", `/files/${fileId}/heartbeat`, { user })).status).toBe(409);
  });

  it("lists the caller's open uploads with their plan and the parts S3 holds, for resuming after a reload", async () => {
    const user = await createUser(bed.deps);
    const other = await createUser(bed.deps);
    const bytes = randomBytesOf(11 * MiB);
    const open = (await initUpload(url, user, "half-sent.bin", bytes.length)).body.file.id;
    await putParts(url, user, open, bytes, 5 * MiB, [2]);
    const untouched = (await initUpload(url, user, "not-started.bin", 10)).body.file.id;
    await uploadFile(url, user, "finished.bin", randomBytesOf(10));
    const aborted = (await initUpload(url, user, "aborted.bin", 10)).body.file.id;
    await api(url, "DELETE", `/files/${aborted}/upload`, { user });
    await initUpload(url, other, "someone-else.bin", 10);

    const res = await api(url, "GET", "/uploads", { user });
    expect(res.status).toBe(200);
    expect(res.body.uploads).toEqual([
      {
        file: expect.objectContaining({
          id: open,
          name: "half-sent.bin",
          status: "uploading",
          sizeBytes: bytes.length,
        }),
        partSize: 5 * MiB,
        partCount: 3,
        parts: [{ partNumber: 2, etag: expect.any(String), sizeBytes: 5 * MiB }],
      },
      {
        file: expect.objectContaining({ id: untouched, status: "uploading" }),
        partSize: 5 * MiB,
        partCount: 1,
        parts: [],
      },
    ]);
    expect((await api(url, "GET", "/uploads")).status).toBe(401);
  });

  it("counts started and completed uploads and their bytes in the API's metrics", async () => {
    const before = await bed.deps.registry.getSingleMetricAsString("upload_bytes_total");
    const user = await createUser(bed.deps);
    await uploadFile(url, user, "metered.bin", randomBytesOf(4321));
    const after = await bed.deps.registry.getSingleMetricAsString("upload_bytes_total");
    const value = (text: string) => Number(/upload_bytes_total (\d+)/.exec(text)![1]);
    expect(value(after) - value(before)).toBe(4321);
  });
  it("signs the one part of a small file in the start answer, and no part of a larger one", async () => {
    const user = await createUser(bed.deps);
    const bytes = randomBytesOf(64 * 1024);
    const init = await initUpload(url, user, "small.bin", bytes.length);
    expect(init.body).toMatchObject({ partCount: 1, parts: [{ partNumber: 1, sizeBytes: bytes.length }] });
    const put = await fetch(init.body.parts[0].url, { method: "PUT", body: bytes });
    expect(put.status).toBe(200);
    const parts = [{ partNumber: 1, etag: put.headers.get("etag")! }];
    const fileId = init.body.file.id;
    expect((await api(url, "POST", `/files/${fileId}/complete`, { user, body: { parts } })).status).toBe(202);
    expect(await waitForStatus(url, user, fileId, ["ready"])).toMatchObject({ sha256: sha256(bytes) });

    const large = await initUpload(url, user, "large.bin", 6 * MiB);
    expect(large.body.partCount).toBe(2);
    expect(large.body.parts).toBeUndefined();
  });
});
