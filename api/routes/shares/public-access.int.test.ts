import { randomIp } from "../../../test/accounts";
import { AuditEntry, Share } from "../../../db/models";
import { randomToken } from "../../../lib/tokens";
import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { eicar } from "../../../test/samples";
import { downloadShare, insertShare, readyFile, shareFile, shareMetadata, shareTestEnv } from "../../../test/shares";
import { api, initUpload, putParts, randomBytesOf, waitForStatus } from "../../../test/uploads";

describe("public share links: passwords, guessing, and links that are gone", () => {
  let bed: FilesTestbed;
  let url: string;
  let owner: TestUser;
  beforeAll(async () => {
    bed = await startFilesTestbed(shareTestEnv({ SHARE_PASSWORD_MAX_FAILURES: "3" }));
    url = bed.server.url;
    owner = await createUser(bed.deps);
  });
  afterAll(() => bed.close());

  const countOf = async (shareId: string) => (await Share.query(bed.deps.db).findById(shareId))!.downloadCount;
  /** Both public routes answer 410 share_gone with this reason. */
  const expectGone = async (token: string, reason: string) => {
    const meta = await shareMetadata(url, token);
    expect([meta.status, meta.body.error?.code, meta.body.error?.details?.reason]).toEqual([410, "share_gone", reason]);
    const download = await downloadShare(url, token);
    expect([download.status, download.body?.error?.code, download.body?.error?.details?.reason]).toEqual([
      410,
      "share_gone",
      reason,
    ]);
  };

  it("asks for the password (401 password_required), refuses a wrong one (401 wrong_password, not counted), serves the right one", async () => {
    const bytes = randomBytesOf(2000);
    const fileId = await readyFile(url, owner, "secret.txt", bytes);
    const { share, token } = await shareFile(url, owner, fileId, { password: "pässwörd ✓" });

    const missing = await downloadShare(url, token);
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      error: { code: "password_required", message: expect.any(String) },
      requestId: expect.any(String),
    });
    const wrong = await downloadShare(url, token, { password: "passwort" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("wrong_password");
    expect(await countOf(share.id)).toBe(0);

    const right = await downloadShare(url, token, { password: "pässwörd ✓" });
    expect(right.status).toBe(200);
    expect(right.bytes).toEqual(bytes);
    expect((await downloadShare(url, token, { headerPassword: "pässwörd ✓" })).status).toBe(200);
    expect((await downloadShare(url, token, { formPassword: "pässwörd ✓" })).status).toBe(200);
    expect((await downloadShare(url, token, { headerPassword: "nope" })).body.error.code).toBe("wrong_password");
    expect(await countOf(share.id)).toBe(3);
  });

  it("stops password guessing per IP and link with 429 (even for the right password), on top of the public limit", async () => {
    const fileId = await readyFile(url, owner, "guarded.txt", randomBytesOf(10));
    const { share, token } = await shareFile(url, owner, fileId, { password: "right one" });
    const { token: otherLink } = await shareFile(url, owner, fileId, { password: "right one" });
    const ip = randomIp();

    // A right password in between does not use up the budget.
    expect((await downloadShare(url, token, { password: "right one", ip })).status).toBe(200);
    for (let i = 0; i < 3; i++)
      expect((await downloadShare(url, token, { password: `guess ${i}`, ip })).status).toBe(401);
    const locked = await downloadShare(url, token, { password: "guess 3", ip });
    expect(locked.status).toBe(429);
    expect(locked.body.error).toMatchObject({
      code: "too_many_password_attempts",
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(800);
    expect((await downloadShare(url, token, { password: "right one", ip })).status).toBe(429);

    expect((await downloadShare(url, token, { password: "right one" })).status).toBe(200);
    expect((await downloadShare(url, otherLink, { password: "guess", ip })).status).toBe(401);
    expect(
      await AuditEntry.query(bed.deps.db).where({ action: "share.password_locked", targetId: share.id }),
    ).toHaveLength(1);
  });

  it("lets no more guesses through than the limit when they arrive in parallel", async () => {
    const fileId = await readyFile(url, owner, "parallel-guesses.txt", randomBytesOf(10));
    const { token } = await shareFile(url, owner, fileId, { password: "right one" });
    const ip = randomIp();
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) => downloadShare(url, token, { password: `guess ${i}`, ip })),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(3).fill(401), ...Array(9).fill(429)]);
  });

  it("answers 404 for a token nobody was given, well-formed or not", async () => {
    for (const token of [randomToken(), "not-a-token", "%C3%A9t%C3%A9", "a".repeat(200)]) {
      const meta = await shareMetadata(url, token);
      expect([token, meta.status, meta.body.error.code]).toEqual([token, 404, "not_found"]);
      const download = await downloadShare(url, token);
      expect([token, download.status, download.body.error.code]).toEqual([token, 404, "not_found"]);
    }
  });

  it("answers 410 once the link has expired", async () => {
    const fileId = await readyFile(url, owner, "expiring.txt", randomBytesOf(10));
    const { share, token } = await shareFile(url, owner, fileId, {
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await downloadShare(url, token)).status).toBe(200);
    await Share.query(bed.deps.db)
      .findById(share.id)
      .patch({ expiresAt: new Date(Date.now() - 1000) });
    await expectGone(token, "expired");
    expect(await countOf(share.id)).toBe(1);
  });

  it("answers 410 once the owner revoked the link, and restoring the file does not bring it back", async () => {
    const fileId = await readyFile(url, owner, "revoked.txt", randomBytesOf(10));
    const { share, token } = await shareFile(url, owner, fileId);
    expect((await api(url, "DELETE", `/shares/${share.id}`, { user: owner })).status).toBe(200);
    await expectGone(token, "revoked");
    expect((await api(url, "DELETE", `/files/${fileId}`, { user: owner })).status).toBe(200);
    expect((await api(url, "POST", `/files/${fileId}/restore`, { user: owner })).status).toBe(200);
    await expectGone(token, "revoked");
  });

  it("answers 410 while the file is in the trash, and serves it again once the file is restored", async () => {
    const bytes = randomBytesOf(10);
    const fileId = await readyFile(url, owner, "trashed.txt", bytes);
    const { token } = await shareFile(url, owner, fileId);
    expect((await api(url, "DELETE", `/files/${fileId}`, { user: owner })).status).toBe(200);
    await expectGone(token, "file_unavailable");
    expect((await api(url, "POST", `/files/${fileId}/restore`, { user: owner })).status).toBe(200);
    expect((await downloadShare(url, token)).bytes).toEqual(bytes);
  });

  it("answers 410 once the file is deleted for good", async () => {
    const fileId = await readyFile(url, owner, "deleted.txt", randomBytesOf(10));
    const { share, token } = await shareFile(url, owner, fileId);
    expect((await api(url, "DELETE", `/files/${fileId}?permanent=true`, { user: owner })).status).toBe(204);
    await expectGone(token, "revoked");
    expect(await Share.query(bed.deps.db).findById(share.id)).toMatchObject({
      fileId: null,
      revokedAt: expect.any(Date),
    });
  });

  it("answers 410 for a link to a file that turned out infected (quarantine revokes its shares)", async () => {
    // A link made before the scan verdict: the API only shares ready files, so it goes in directly.
    const init = await initUpload(url, owner, "eicar.com", eicar.length);
    const fileId = init.body.file.id;
    const share = await insertShare(bed.deps, { ownerId: owner.user.id, fileId });
    const parts = await putParts(url, owner, fileId, eicar, init.body.partSize, [1]);
    expect((await api(url, "POST", `/files/${fileId}/complete`, { user: owner, body: { parts } })).status).toBe(202);
    await waitForStatus(url, owner, fileId, ["quarantined"]);
    await expectGone(share.token, "revoked");
    expect(await countOf(share.id)).toBe(0);

    // Even a link the quarantine did not revoke never serves a quarantined file.
    const unrevoked = await insertShare(bed.deps, { ownerId: owner.user.id, fileId });
    await expectGone(unrevoked.token, "file_unavailable");
  });
});
