import { randomBytes, randomUUID } from "node:crypto";
import { AuditEntry, File, User } from "../db/models";
import { accountDeletionId, accountDeletionInput, startAccountDeletion } from "../lib/account-deletion";
import { USED_BYTES_STATUSES } from "../lib/file-status";
import { call, randomIp } from "../test/accounts";

/** Client IPs from X-Forwarded-For (randomIp per request) and auth limits that do not get in the way. */
const accountSettings = { TRUST_PROXY: "true", RATE_LIMIT_AUTH_PER_MINUTE: "100000" };
import { createUser, testPassword, type TestUser } from "../test/factories";
import { type FilesTestbed, startFilesTestbed } from "../test/files-testbed";
import { housekeepingTestSettings, multipartUploadsOf, plantFile, plantFolder, waitUntil } from "../test/housekeeping";
import { spawnWorker, type WorkerProcess } from "../test/worker-process";

const prefixes = (uid: string) => [`${uid}/`, `quarantine/${uid}/`, `thumbnails/${uid}/`, `previews/${uid}/`];

async function keysUnder(bed: FilesTestbed, uid: string): Promise<string[]> {
  const keys: string[] = [];
  for (const prefix of prefixes(uid))
    for await (const object of bed.deps.storage.listObjects(prefix)) keys.push(object.key);
  return keys.sort();
}

/** Rows anywhere in the schema that still name the user. */
async function rowsOf(bed: FilesTestbed, uid: string): Promise<Record<string, number>> {
  const { db } = bed.deps;
  const counts: Record<string, number> = {};
  for (const [table, column] of [
    ["users", "id"],
    ["files", "owner_id"],
    ["folders", "owner_id"],
    ["shares", "owner_id"],
    ["upload_events", "user_id"],
    ["email_verifications", "user_id"],
    ["password_resets", "user_id"],
    ["refresh_tokens", "user_id"],
  ] as const) {
    const row = (await db(table).where(column, uid).count({ n: "*" }).first()) as { n: string };
    if (Number(row.n) > 0) counts[table] = Number(row.n);
  }
  return counts;
}

/** A user with a bit of everything: files in every state, objects no row names, an open upload, shares, folders, links. */
async function populate(bed: FilesTestbed, owner: TestUser, fileCount: number) {
  const uid = owner.user.id;
  const { db, storage } = bed.deps;
  const folder = await plantFolder(bed, uid);
  await plantFolder(bed, uid, { parentId: folder.id });
  const files: File[] = [];
  for (let i = 0; i < fileCount; i++) {
    const status = i % 9 === 0 ? "quarantined" : "ready";
    files.push(
      await plantFile(bed, uid, {
        status,
        folderId: i % 2 ? folder.id : null,
        withThumbnail: i % 5 === 0,
        trashedAt: i % 11 === 0 ? new Date() : undefined,
      }),
    );
  }
  await storage.putObject(`previews/${uid}/${files[1].id}.webp`, Buffer.from("preview"), "image/webp");
  await storage.putObject(`${uid}/no-row-names-this`, Buffer.from("orphan"), "application/octet-stream");
  // An open upload with a part sent, and a multipart upload no row knows.
  const uploadId = randomUUID();
  const key = `${uid}/${uploadId}`;
  const s3UploadId = await storage.createMultipartUpload(key, "application/octet-stream");
  await db("files").insert({
    id: uploadId,
    ownerId: uid,
    name: "open-upload.bin",
    sizeBytes: 1000,
    s3Key: key,
    status: "uploading",
    uploadId: s3UploadId,
    lastHeartbeatAt: new Date(),
  });
  await db("users").where({ id: uid }).increment("reservedBytes", 1000);
  await storage.createMultipartUpload(`${uid}/ghost-upload`, "application/octet-stream");
  await db("shares").insert({ fileId: files[1].id, ownerId: uid, token: randomBytes(24).toString("base64url") });
  await db("upload_events").insert({ fileId: files[1].id, userId: uid, type: "completed", bytes: 10 });
  await db("email_verifications").insert({
    userId: uid,
    tokenHash: randomUUID(),
    expiresAt: new Date(Date.now() + 3600_000),
  });
  await db("password_resets").insert({
    userId: uid,
    tokenHash: randomUUID(),
    expiresAt: new Date(Date.now() + 3600_000),
  });
  return { files };
}

describe("DELETE /me and the AccountDeletion workflow", () => {
  let bed: FilesTestbed;
  beforeAll(async () => {
    bed = await startFilesTestbed({ ...housekeepingTestSettings, ...accountSettings, HOUSEKEEPING_BATCH_SIZE: "4" });
  });
  afterAll(async () => {
    await bed.close();
  });

  const deleteMe = (owner: TestUser, password: string) =>
    call(bed.server.url, "DELETE", "/me", { token: owner.token, body: { password }, ip: randomIp() });

  it("locks the account at once, then removes every object, upload and row; one audit entry stays", async () => {
    const owner = await createUser(bed.deps);
    const uid = owner.user.id;
    const { files } = await populate(bed, owner, 12);
    const bystander = await createUser(bed.deps);
    const kept = await plantFile(bed, bystander.user.id, { status: "ready", withThumbnail: true });
    const share = await bed.deps.db("shares").where({ ownerId: uid }).first("token");

    const wrong = await deleteMe(owner, "not my password");
    expect(wrong.status).toBe(403);
    expect(wrong.body).toMatchObject({ error: { code: "wrong_password" } });
    expect((await call(bed.server.url, "GET", "/me", { token: owner.token })).status).toBe(200);

    const accepted = await deleteMe(owner, testPassword);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ status: "deleting" });
    // Before the workflow has done anything: no token, no login, no share link works.
    expect((await call(bed.server.url, "GET", "/me", { token: owner.token })).status).toBe(401);
    const relogin = await call(bed.server.url, "POST", "/auth/login", {
      body: { email: owner.user.email, password: testPassword },
      ip: randomIp(),
    });
    expect([401, 403]).toContain(relogin.status);
    expect((await call(bed.server.url, "GET", `/s/${share.token}`)).status).toBeGreaterThanOrEqual(404);

    const report = await bed.deps.temporal.workflow.getHandle(accountDeletionId(uid)).result();
    expect(report).toMatchObject({ files: files.length + 1, multipartUploads: 1, userDeleted: true });
    expect(report.objects).toBeGreaterThanOrEqual(1); // the object no row named
    expect(await rowsOf(bed, uid)).toEqual({});
    expect(await keysUnder(bed, uid)).toEqual([]);
    expect(await multipartUploadsOf(bed, uid)).toEqual([]);
    const audit = await AuditEntry.query(bed.deps.db).where({ targetId: uid, action: "user.deleted" });
    expect(audit).toHaveLength(1);
    expect(audit[0].details).toMatchObject({ email: owner.user.email, files: files.length + 1 });
    expect(
      await AuditEntry.query(bed.deps.db).where({ targetId: uid, action: "user.deletion_requested" }),
    ).toHaveLength(1);

    // The bystander lost nothing.
    expect(await File.query(bed.deps.db).findById(kept.id)).toBeDefined();
    expect(await bed.deps.storage.objectSize(kept.s3Key)).toBe(kept.sizeBytes);
    expect((await call(bed.server.url, "GET", "/me", { token: bystander.token })).status).toBe(200);

    // Starting it again finds the account gone and records nothing more.
    expect(
      await startAccountDeletion(bed.deps.temporal, bed.taskQueue, accountDeletionInput(bed.deps.config, uid)),
    ).toBe(true);
    const rerun = await bed.deps.temporal.workflow.getHandle(accountDeletionId(uid)).result();
    expect(rerun).toMatchObject({ files: 0, userDeleted: false });
    expect(await AuditEntry.query(bed.deps.db).where({ targetId: uid, action: "user.deleted" })).toHaveLength(1);
  });

  it("answers parallel DELETE /me requests with 202 and deletes once", async () => {
    const owner = await createUser(bed.deps);
    const uid = owner.user.id;
    await populate(bed, owner, 3);
    const replies = await Promise.all([1, 2, 3].map(() => deleteMe(owner, testPassword)));
    // Each either got in (202) or arrived after the account was locked (401).
    expect(replies.map((reply) => reply.status)).toContain(202);
    for (const reply of replies) expect([202, 401]).toContain(reply.status);
    await bed.deps.temporal.workflow.getHandle(accountDeletionId(uid)).result();
    expect(await rowsOf(bed, uid)).toEqual({});
    expect(
      await AuditEntry.query(bed.deps.db).where({ targetId: uid, action: "user.deletion_requested" }),
    ).toHaveLength(1);
    expect(await AuditEntry.query(bed.deps.db).where({ targetId: uid, action: "user.deleted" })).toHaveLength(1);
  });

  it("refuses bad input with 400 and a missing token with 401", async () => {
    const owner = await createUser(bed.deps);
    for (const body of [{}, { password: "" }, { password: 5 }]) {
      const reply = await call(bed.server.url, "DELETE", "/me", { token: owner.token, body, ip: randomIp() });
      expect(reply.status).toBe(400);
    }
    const anonymous = await call(bed.server.url, "DELETE", "/me", { body: { password: testPassword }, ip: randomIp() });
    expect(anonymous.status).toBe(401);
    expect(await User.query(bed.deps.db).findById(owner.user.id)).toMatchObject({ deletionRequestedAt: null });
  });
});

// Needs dist/: `npx tsc -p tsconfig.build.json && node dist/worker/bundle-workflows.js` first.
describe("AccountDeletion with its worker killed in the middle", () => {
  let bed: FilesTestbed;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    bed = await startFilesTestbed(
      { ...housekeepingTestSettings, ...accountSettings, HOUSEKEEPING_BATCH_SIZE: "5" },
      { worker: false },
    );
  });
  afterAll(async () => {
    for (const worker of workers) {
      worker.child.kill("SIGKILL");
      await worker.exited;
    }
    await bed.close();
  });

  const startWorker = async () => {
    const worker = await spawnWorker({
      TEMPORAL_TASK_QUEUE: bed.taskQueue,
      HOUSEKEEPING_HEARTBEAT_TIMEOUT_MS: "3000",
    });
    workers.push(worker);
    return worker;
  };

  it("goes on from where it stopped on the next worker and ends with nothing left and one audit entry", async () => {
    const owner = await createUser(bed.deps);
    const uid = owner.user.id;
    const { files } = await populate(bed, owner, 80);
    const first = await startWorker();
    const accepted = await call(bed.server.url, "DELETE", "/me", {
      token: owner.token,
      body: { password: testPassword },
      ip: randomIp(),
    });
    expect(accepted.status).toBe(202);

    const remaining = async () => File.query(bed.deps.db).where({ ownerId: uid }).resultSize();
    await waitUntil(remaining, (left) => left < files.length - 10, 60_000);
    first.child.kill("SIGKILL");
    await first.exited;
    const left = await remaining();
    expect(left).toBeGreaterThan(0);
    // While no worker runs, the counters still match the files that are left.
    const user = (await User.query(bed.deps.db).findById(uid))!;
    const held = (await bed.deps
      .db("files")
      .where({ ownerId: uid })
      .whereIn("status", USED_BYTES_STATUSES)
      .sum({ bytes: "size_bytes" })
      .first()) as { bytes: string | null };
    expect(user.usedBytes).toBe(Number(held.bytes ?? 0));

    await startWorker();
    const report = await bed.deps.temporal.workflow.getHandle(accountDeletionId(uid)).result();
    expect(report.userDeleted).toBe(true);
    expect(await rowsOf(bed, uid)).toEqual({});
    expect(await keysUnder(bed, uid)).toEqual([]);
    expect(await multipartUploadsOf(bed, uid)).toEqual([]);
    expect(await AuditEntry.query(bed.deps.db).where({ targetId: uid, action: "user.deleted" })).toHaveLength(1);
  });
});
