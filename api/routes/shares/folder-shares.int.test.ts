import { AuditEntry, Share, ShareDownload } from "../../../db/models";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { downloadShare, eventually, readyFile, shareMetadata, shareTestEnv } from "../../../test/shares";
import { api, initUpload, randomBytesOf } from "../../../test/uploads";
import { readZip } from "../../../test/zip";

describe("folder shares: one streamed ZIP of the folder's ready files", () => {
  let bed: FilesTestbed;
  let url: string;
  let owner: TestUser;
  let stranger: TestUser;
  let albumId: string;
  const top = randomBytesOf(300_000);
  const nested = randomBytesOf(6 * 1024 * 1024 + 17);
  beforeAll(async () => {
    bed = await startFilesTestbed(shareTestEnv());
    url = bed.server.url;
    owner = await createUser(bed.deps);
    stranger = await createUser(bed.deps);
    const album = await api(url, "POST", "/folders", { user: owner, body: { name: "Album" } });
    albumId = album.body.folder.id;
    const year = await api(url, "POST", "/folders", { user: owner, body: { name: "2026 été", parentId: albumId } });
    const old = await api(url, "POST", "/folders", { user: owner, body: { name: "old", parentId: albumId } });
    await readyFile(url, owner, "top.txt", top, { folderId: albumId, mimeType: "text/plain" });
    await readyFile(url, owner, "beach.bin", nested, { folderId: year.body.folder.id });
    // Not in the ZIP: an upload still open, a trashed file and a file in a trashed subfolder.
    expect((await initUpload(url, owner, "open.bin", 10, { folderId: albumId })).status).toBe(201);
    const trashed = await readyFile(url, owner, "trashed.txt", randomBytesOf(10), { folderId: albumId });
    expect((await api(url, "DELETE", `/files/${trashed}`, { user: owner })).status).toBe(200);
    await readyFile(url, owner, "gone.txt", randomBytesOf(10), { folderId: old.body.folder.id });
    expect((await api(url, "DELETE", `/folders/${old.body.folder.id}`, { user: owner })).status).toBe(200);
  });
  afterAll(() => bed.close());

  const shareFolder = async (body: Record<string, unknown> = {}) => {
    const res = await api(url, "POST", "/shares", { user: owner, body: { folderId: albumId, ...body } });
    expect(res.status).toBe(201);
    const link = res.body.url as string;
    return { share: res.body.share, token: link.slice(link.lastIndexOf("/") + 1) };
  };

  it("creates a folder link, lists the ready files on the public page and downloads them as one ZIP", async () => {
    const { share, token } = await shareFolder();
    expect(share).toMatchObject({
      kind: "folder",
      fileId: null,
      file: null,
      folderId: albumId,
      folder: { id: albumId, name: "Album", trashedAt: null },
      state: "active",
    });

    const page = await shareMetadata(url, token);
    expect(page.status).toBe(200);
    expect(page.body).toEqual({
      kind: "folder",
      name: "Album",
      sizeBytes: top.length + nested.length,
      mimeType: "application/zip",
      requiresPassword: false,
      expiresAt: null,
      downloadsRemaining: null,
      files: [
        { path: "2026 été/beach.bin", sizeBytes: nested.length },
        { path: "top.txt", sizeBytes: top.length },
      ],
      fileCount: 2,
    });

    const download = await downloadShare(url, token, { userAgent: "zip-test/1.0" });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toBe("application/zip");
    expect(download.headers.get("content-disposition")).toBe(
      `attachment; filename="Album.zip"; filename*=UTF-8''Album.zip`,
    );
    expect(Number(download.headers.get("content-length"))).toBe(download.bytes!.length);
    const entries = await readZip(download.bytes!);
    expect(entries.map((entry) => entry.name)).toEqual(["2026 été/beach.bin", "top.txt"]);
    expect(entries[0]!.bytes.equals(nested)).toBe(true);
    expect(entries[1]!.bytes.equals(top)).toBe(true);

    const log = await eventually(async () => {
      const rows = await ShareDownload.query(bed.deps.db).where({ shareId: share.id });
      return rows.length ? rows : undefined;
    });
    expect(log).toEqual([expect.objectContaining({ bytes: download.bytes!.length, userAgent: "zip-test/1.0" })]);
    expect((await Share.query(bed.deps.db).findById(share.id))!.downloadCount).toBe(1);
    expect(await AuditEntry.query(bed.deps.db).findOne({ targetId: share.id, action: "share.created" })).toMatchObject({
      details: expect.objectContaining({ folderId: albumId }),
    });
  });

  it("counts a limited folder link once under 20 parallel downloads", async () => {
    const { share, token } = await shareFolder({ maxDownloads: 1 });
    const replies = await Promise.all(Array.from({ length: 20 }, () => downloadShare(url, token)));
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 410)).toHaveLength(19);
    for (const reply of replies.filter((r) => r.status === 410))
      expect(reply.body.error).toMatchObject({ code: "share_gone", details: { reason: "consumed" } });
    const zip = replies.find((reply) => reply.status === 200)!;
    expect((await readZip(zip.bytes!)).map((entry) => entry.name)).toEqual(["2026 été/beach.bin", "top.txt"]);
    expect((await Share.query(bed.deps.db).findById(share.id))!.downloadCount).toBe(1);
    await eventually(async () =>
      (await ShareDownload.query(bed.deps.db).where({ shareId: share.id }).resultSize()) === 1 ? true : undefined,
    );
    expect((await shareMetadata(url, token)).status).toBe(410);
  });

  it("asks for the password before counting, and answers 410 once the folder is trashed", async () => {
    const { share, token } = await shareFolder({ password: "folder secret" });
    expect((await shareMetadata(url, token)).body).toMatchObject({ kind: "folder", requiresPassword: true });
    const missing = await downloadShare(url, token);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe("password_required");
    expect((await downloadShare(url, token, { password: "wrong" })).body.error.code).toBe("wrong_password");
    expect((await Share.query(bed.deps.db).findById(share.id))!.downloadCount).toBe(0);
    expect((await downloadShare(url, token, { formPassword: "folder secret" })).status).toBe(200);

    const other = await api(url, "POST", "/folders", { user: owner, body: { name: "Soon trashed" } });
    const res = await api(url, "POST", "/shares", { user: owner, body: { folderId: other.body.folder.id } });
    const link = res.body.url as string;
    const otherToken = link.slice(link.lastIndexOf("/") + 1);
    expect((await shareMetadata(url, otherToken)).body).toMatchObject({ files: [], fileCount: 0, sizeBytes: 0 });
    const empty = await downloadShare(url, otherToken);
    expect(empty.status).toBe(200);
    expect(await readZip(empty.bytes!)).toEqual([]);
    expect((await api(url, "DELETE", `/folders/${other.body.folder.id}`, { user: owner })).status).toBe(200);
    const gone = await shareMetadata(url, otherToken);
    expect(gone.status).toBe(410);
    expect(gone.body.error).toMatchObject({ code: "share_gone", details: { reason: "file_unavailable" } });
    expect((await downloadShare(url, otherToken)).status).toBe(410);
    const listed = await api(url, "GET", `/shares/${res.body.share.id}`, { user: owner });
    expect(listed.body.share).toMatchObject({ kind: "folder", state: "file_unavailable" });
    // A trashed folder cannot be shared; neither can another user's; one target only.
    const again = await api(url, "POST", "/shares", { user: owner, body: { folderId: other.body.folder.id } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("folder_trashed");
    expect((await api(url, "POST", "/shares", { user: stranger, body: { folderId: albumId } })).status).toBe(404);
    const both = await api(url, "POST", "/shares", { user: owner, body: { folderId: albumId, fileId: albumId } });
    expect(both.status).toBe(400);
    expect((await api(url, "POST", "/shares", { user: owner, body: {} })).status).toBe(400);
  });
});
