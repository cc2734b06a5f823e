import { AuditEntry, Share } from "../../../db/models";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { downloadShare, eventually, readyFile, shareFile, shareTestEnv } from "../../../test/shares";
import { api, initUpload, randomBytesOf } from "../../../test/uploads";

describe("shares: create, list, show, revoke", () => {
  let bed: FilesTestbed;
  let url: string;
  let alice: TestUser;
  let mallory: TestUser;
  let aliceFile: string;
  beforeAll(async () => {
    bed = await startFilesTestbed(shareTestEnv());
    url = bed.server.url;
    alice = await createUser(bed.deps);
    mallory = await createUser(bed.deps);
    aliceFile = await readyFile(url, alice, "holiday.pdf", randomBytesOf(500), { mimeType: "application/pdf" });
  });
  afterAll(() => bed.close());

  it("creates a link with a long random token, a hashed password, expiry and limit, and audits it", async () => {
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const res = await api(url, "POST", "/shares", {
      user: alice,
      body: { fileId: aliceFile, password: "let me in", expiresAt, maxDownloads: 2 },
    });
    expect(res.status).toBe(201);
    const { share, url: link } = res.body;
    const token = link.slice(link.lastIndexOf("/") + 1);
    expect(link).toBe(`${bed.deps.config.APP_URL.replace(/\/$/, "")}/s/${token}`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits
    expect(share).toEqual({
      id: expect.any(String),
      kind: "file",
      fileId: aliceFile,
      file: { id: aliceFile, name: "holiday.pdf", status: "ready", trashedAt: null },
      folderId: null,
      folder: null,
      url: link,
      requiresPassword: true,
      expiresAt,
      maxDownloads: 2,
      downloadCount: 0,
      downloadsRemaining: 2,
      state: "active",
      revokedAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const row = (await Share.query(bed.deps.db).findById(share.id))!;
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain("let me in");
    const [audit] = await AuditEntry.query(bed.deps.db).where({ action: "share.created", targetId: share.id });
    expect(audit).toMatchObject({
      actorId: alice.user.id,
      targetType: "share",
      details: { fileId: aliceFile, hasPassword: true, maxDownloads: 2, expiresAt },
    });
  });

  it("shares only ready files that are not in the trash (409), and only the caller's own (404)", async () => {
    const open = (await initUpload(url, alice, "still-uploading.bin", 100)).body.file.id;
    const notReady = await api(url, "POST", "/shares", { user: alice, body: { fileId: open } });
    expect(notReady.status).toBe(409);
    expect(notReady.body.error.code).toBe("not_ready");

    const trashed = await readyFile(url, alice, "binned.txt", randomBytesOf(5));
    await api(url, "DELETE", `/files/${trashed}`, { user: alice });
    const inTrash = await api(url, "POST", "/shares", { user: alice, body: { fileId: trashed } });
    expect(inTrash.status).toBe(409);
    expect(inTrash.body.error.code).toBe("file_trashed");

    const foreign = await api(url, "POST", "/shares", { user: mallory, body: { fileId: aliceFile } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe("not_found");
    const unknown = await api(url, "POST", "/shares", {
      user: alice,
      body: { fileId: "00000000-0000-4000-8000-000000000000" },
    });
    expect(unknown.status).toBe(404);
  });

  it("lists the caller's shares newest first, page by page, optionally for one file", async () => {
    const owner = await createUser(bed.deps);
    const first = await readyFile(url, owner, "a.txt", randomBytesOf(5));
    const second = await readyFile(url, owner, "b.txt", randomBytesOf(5));
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await shareFile(url, owner, i < 3 ? first : second)).share.id);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await api(url, "GET", `/shares${query}`, { user: owner });
      expect(page.status).toBe(200);
      expect(page.body.shares.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.shares.map((s: { id: string }) => s.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());

    const ofFirst = await api(url, "GET", `/shares?fileId=${first}`, { user: owner });
    expect(ofFirst.body.shares.map((s: { id: string }) => s.id)).toEqual(made.slice(0, 3).reverse());
    const others = await api(url, "GET", "/shares", { user: mallory });
    expect(others.body).toEqual({ shares: [], nextCursor: null });
  });

  it("shows one share with its download count and access log, newest first, page by page", async () => {
    // Limited, so each download streams through the API and logs the bytes it sent.
    const { share, token } = await shareFile(url, alice, aliceFile, { maxDownloads: 10 });
    for (const agent of ["first/1", "second/1", "third/1"]) {
      expect((await downloadShare(url, token, { userAgent: agent, ip: "10.1.2.3" })).status).toBe(200);
    }
    await eventually(async () => {
      const res = await api(url, "GET", `/shares/${share.id}`, { user: alice });
      return res.body.downloads.length === 3 ? true : undefined;
    });
    const page = await api(url, "GET", `/shares/${share.id}?limit=2`, { user: alice });
    expect(page.status).toBe(200);
    expect(page.body.share).toMatchObject({ id: share.id, downloadCount: 3, state: "active" });
    expect(page.body.downloads).toHaveLength(2);
    expect(page.body.downloads[0]).toEqual({
      id: expect.any(Number),
      at: expect.any(String),
      ip: "10.1.2.3",
      userAgent: expect.any(String),
      bytes: 500,
      redirected: false,
    });
    const rest = await api(url, "GET", `/shares/${share.id}?limit=2&before=${page.body.nextBefore}`, { user: alice });
    expect(rest.body.downloads).toHaveLength(1);
    expect(rest.body.nextBefore).toBeNull();
    const agents = [...page.body.downloads, ...rest.body.downloads]
      .map((d: { userAgent: string }) => d.userAgent)
      .sort();
    expect(agents).toEqual(["first/1", "second/1", "third/1"]);
  });

  it("revokes a link once (audited once); revoking again changes nothing", async () => {
    const { share, token } = await shareFile(url, alice, aliceFile);
    const revoked = await api(url, "DELETE", `/shares/${share.id}`, { user: alice });
    expect(revoked.status).toBe(200);
    expect(revoked.body.share).toMatchObject({ id: share.id, state: "revoked", revokedAt: expect.any(String) });
    const again = await api(url, "DELETE", `/shares/${share.id}`, { user: alice });
    expect(again.status).toBe(200);
    expect(again.body.share.revokedAt).toBe(revoked.body.share.revokedAt);
    expect((await downloadShare(url, token)).status).toBe(410);
    const audits = await AuditEntry.query(bed.deps.db).where({ action: "share.revoked", targetId: share.id });
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorId: alice.user.id, details: { fileId: aliceFile } });
  });

  it("answers 404 for another user's share and changes nothing; 401 without a token", async () => {
    const { share, token } = await shareFile(url, alice, aliceFile);
    for (const [method, path] of [
      ["GET", `/shares/${share.id}`],
      ["DELETE", `/shares/${share.id}`],
    ]) {
      const res = await api(url, method, path, { user: mallory });
      expect({ method, status: res.status, code: res.body.error.code }).toEqual({
        method,
        status: 404,
        code: "not_found",
      });
    }
    expect((await downloadShare(url, token)).status).toBe(200);
    for (const [method, path] of [
      ["POST", "/shares"],
      ["GET", "/shares"],
      ["GET", `/shares/${share.id}`],
      ["DELETE", `/shares/${share.id}`],
    ]) {
      const res = await api(url, method, path, { body: method === "POST" ? { fileId: aliceFile } : undefined });
      expect([method, path, res.status]).toEqual([method, path, 401]);
      expect(res.body).toMatchObject({ error: { code: expect.any(String) }, requestId: expect.any(String) });
    }
  });
});
