import { randomUUID } from "node:crypto";
import { AuditEntry, Share } from "../../../db/models";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { downloadShare, eventually, readyFile, shareFile, shareMetadata, shareTestEnv } from "../../../test/shares";
import { api, randomBytesOf } from "../../../test/uploads";

describe("PATCH /shares/:id and GET /shares/:id/downloads", () => {
  let bed: FilesTestbed;
  let url: string;
  let owner: TestUser;
  let stranger: TestUser;
  let fileId: string;
  beforeAll(async () => {
    bed = await startFilesTestbed(shareTestEnv());
    url = bed.server.url;
    owner = await createUser(bed.deps);
    stranger = await createUser(bed.deps);
    fileId = await readyFile(url, owner, "notes.txt", randomBytesOf(2000), { mimeType: "text/plain" });
  });
  afterAll(() => bed.close());

  const patch = (id: string, body: unknown, user = owner) => api(url, "PATCH", `/shares/${id}`, { user, body });

  it("sets and removes a password, an expiry and a limit", async () => {
    const { share, token } = await shareFile(url, owner, fileId, { maxDownloads: 5 });
    const withPassword = await patch(share.id, { password: "new secret" });
    expect(withPassword.status).toBe(200);
    expect(withPassword.body.share).toMatchObject({ requiresPassword: true, maxDownloads: 5 });
    expect((await downloadShare(url, token)).body.error.code).toBe("password_required");
    expect((await downloadShare(url, token, { password: "new secret" })).status).toBe(200);

    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const edited = await patch(share.id, { password: null, expiresAt, maxDownloads: null });
    expect(edited.status).toBe(200);
    expect(edited.body.share).toMatchObject({
      requiresPassword: false,
      expiresAt,
      maxDownloads: null,
      downloadsRemaining: null,
      downloadCount: 1,
    });
    expect((await shareMetadata(url, token)).body).toMatchObject({ requiresPassword: false, expiresAt });
    expect((await patch(share.id, { expiresAt: null })).body.share.expiresAt).toBeNull();

    const audit = await AuditEntry.query(bed.deps.db)
      .where({ targetId: share.id, action: "share.updated" })
      .orderBy("id");
    expect(audit).toHaveLength(3);
    expect(audit[1]!.details).toEqual({ hasPassword: false, expiresAt, maxDownloads: null });
    expect(JSON.stringify(audit)).not.toContain("new secret");
  });

  it("refuses a limit below the downloads made, a past expiry, an empty body, a revoked link and another user's link", async () => {
    const { share, token } = await shareFile(url, owner, fileId, { maxDownloads: 5 });
    for (let i = 0; i < 2; i++) expect((await downloadShare(url, token)).status).toBe(200);
    const below = await patch(share.id, { maxDownloads: 1 });
    expect(below.status).toBe(400);
    expect(below.body.error).toMatchObject({ code: "below_download_count", details: { downloadCount: 2 } });
    const equal = await patch(share.id, { maxDownloads: 2 });
    expect(equal.status).toBe(200);
    expect(equal.body.share).toMatchObject({ state: "consumed", downloadsRemaining: 0 });
    expect((await downloadShare(url, token)).status).toBe(410);
    expect((await patch(share.id, { maxDownloads: 3 })).body.share.state).toBe("active");

    const past = await patch(share.id, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect(past.status).toBe(400);
    expect(past.body.error.code).toBe("validation_failed");
    expect((await patch(share.id, {})).status).toBe(400);
    expect((await patch(share.id, { maxDownloads: 0 })).status).toBe(400);
    expect((await patch(share.id, { somethingElse: 1 })).status).toBe(400);

    expect((await patch(share.id, { maxDownloads: 10 }, stranger)).status).toBe(404);
    expect((await patch(randomUUID(), { maxDownloads: 10 })).status).toBe(404);
    expect((await api(url, "DELETE", `/shares/${share.id}`, { user: owner })).status).toBe(200);
    const revoked = await patch(share.id, { maxDownloads: 10 });
    expect(revoked.status).toBe(409);
    expect(revoked.body.error.code).toBe("share_revoked");
  });

  it("a new limit racing 30 parallel downloads never lets the count pass the limit", async () => {
    const { share, token } = await shareFile(url, owner, fileId, { maxDownloads: 20 });
    for (let i = 0; i < 3; i++) expect((await downloadShare(url, token)).status).toBe(200);
    const [edit, ...downloads] = await Promise.all([
      patch(share.id, { maxDownloads: 6 }),
      ...Array.from({ length: 30 }, () => downloadShare(url, token)),
    ]);
    const row = (await Share.query(bed.deps.db).findById(share.id))!;
    const served = downloads.filter((reply) => reply.status === 200).length;
    expect(row.downloadCount).toBe(3 + served);
    if (edit.status === 200) {
      expect(row.maxDownloads).toBe(6);
      expect(row.downloadCount).toBeLessThanOrEqual(6);
    } else {
      // Downloads got past 6 before the edit: the edit was refused, the old limit holds.
      expect(edit.body.error.code).toBe("below_download_count");
      expect(row.maxDownloads).toBe(20);
      expect(row.downloadCount).toBeGreaterThan(6);
    }
  });

  it("pages the access log, newest first, with a cursor; refuses other users and bad cursors", async () => {
    const { share, token } = await shareFile(url, owner, fileId);
    for (const agent of ["first/1", "second/1", "third/1"])
      expect((await downloadShare(url, token, { userAgent: agent })).status).toBe(200);
    await eventually(async () => {
      const page = await api(url, "GET", `/shares/${share.id}/downloads`, { user: owner });
      return page.body.downloads.length === 3 ? true : undefined;
    });
    const first = await api(url, "GET", `/shares/${share.id}/downloads?limit=2`, { user: owner });
    expect(first.status).toBe(200);
    expect(first.body.downloads.map((d: { userAgent: string }) => d.userAgent)).toEqual(["third/1", "second/1"]);
    expect(first.body.downloads[0]).toMatchObject({
      id: expect.any(Number),
      at: expect.any(String),
      ip: expect.any(String),
      userAgent: "third/1",
      bytes: 2000,
    });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api(url, "GET", `/shares/${share.id}/downloads?limit=2&cursor=${first.body.nextCursor}`, {
      user: owner,
    });
    expect(second.body.downloads.map((d: { userAgent: string }) => d.userAgent)).toEqual(["first/1"]);
    expect(second.body.nextCursor).toBeNull();

    expect((await api(url, "GET", `/shares/${share.id}/downloads`, { user: stranger })).status).toBe(404);
    expect((await api(url, "GET", `/shares/${share.id}/downloads?cursor=abc`, { user: owner })).status).toBe(400);
    expect((await api(url, "GET", `/shares/${share.id}/downloads?limit=0`, { user: owner })).status).toBe(400);
    expect((await api(url, "GET", `/shares/${share.id}/downloads`)).status).toBe(401);
  });
});
