import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import type { AppDeps } from "../api/deps";
import { pendingDeletionKeys, recordObjectDeletions } from "../db/commands/files/object-deletions";
import { File, Share, User } from "../db/models";
import { closeDeps, createTestDeps } from "../test/deps";
import { createUser } from "../test/factories";
import { checkInvariants, type InvariantOptions } from "./invariants";
import { fileKey, quarantineKey } from "./object-keys";

const run = promisify(execFile);
const root = path.resolve(__dirname, "..");
const HOUR = 3_600_000;

describe("the SPEC §11 invariant checker", () => {
  let deps: AppDeps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  // Accounts broken on purpose go when the file ends: housekeeping in later tests must not meet them.
  const broken: string[] = [];
  afterAll(async () => {
    await User.query(deps.db).delete().whereIn("id", broken);
    await closeDeps(deps);
  });

  const options = (ownerIds: string[]): InvariantOptions => ({
    staleUploadMs: HOUR,
    graceMs: 0,
    ownerIds,
    pageSize: 2,
  });
  const check = (ownerIds: string[]) =>
    checkInvariants({ db: deps.db, storage: deps.storage, temporal: deps.temporal }, options(ownerIds));

  /** A file row as the lifecycle leaves it, with its object stored when `stored`. */
  async function fileOf(ownerId: string, status: File["status"], props: Partial<File> = {}, stored = true) {
    const id = randomUUID();
    const bytes = randomBytes(16);
    const key = status === "quarantined" ? quarantineKey({ ownerId, id }) : fileKey({ ownerId, id });
    const scanned =
      status === "ready" || status === "quarantined"
        ? { sha256: "0".repeat(64), scannedAt: new Date(Date.now() - HOUR) }
        : {};
    const file = await File.query(deps.db).insertAndFetch({
      id,
      ownerId,
      name: `${status}-${id}.bin`,
      sizeBytes: bytes.length,
      s3Key: key,
      status,
      ...scanned,
      ...(status === "quarantined" ? { scanSignature: "Eicar-Test-Signature", trashedAt: new Date() } : {}),
      ...props,
    });
    if (stored) await deps.storage.putObject(props.s3Key ?? key, bytes, "application/octet-stream");
    // Settled before the check starts: older than any grace.
    await deps
      .db("files")
      .where({ id })
      .update({ updated_at: new Date(Date.now() - HOUR) });
    return file;
  }

  async function healthyUser() {
    const { user } = await createUser(deps);
    const ready = await fileOf(user.id, "ready");
    await fileOf(user.id, "quarantined");
    await fileOf(user.id, "rejected", { statusReason: "too large" }, false);
    await User.query(deps.db).patch({ usedBytes: ready.sizeBytes }).where({ id: user.id });
    await Share.query(deps.db).insert({
      fileId: ready.id,
      ownerId: user.id,
      token: randomUUID(),
      maxDownloads: 1,
      downloadCount: 1,
    });
    return user;
  }

  it("finds nothing wrong with a consistent account (ready, quarantined, rejected files, a used-up share)", async () => {
    const user = await healthyUser();
    expect(await check([user.id])).toEqual([]);
  });

  it("names every violation of every invariant with the ids involved", async () => {
    const { user } = await createUser(deps);
    broken.push(user.id);
    const ids = { userId: user.id };
    const stale = await fileOf(user.id, "uploading", { lastHeartbeatAt: new Date(Date.now() - 2 * HOUR) }, false);
    const stuck = await fileOf(user.id, "processing");
    const unscanned = await fileOf(user.id, "ready", { sha256: null });
    const lost = await fileOf(user.id, "ready", {}, false);
    const lostQuarantine = await fileOf(user.id, "quarantined", {}, false);
    const outside = await fileOf(user.id, "quarantined", { s3Key: `${user.id}/${randomUUID()}` });
    const orphanKey = fileKey({ ownerId: user.id, id: randomUUID() });
    await deps.storage.putObject(orphanKey, Buffer.from("orphan"), "application/octet-stream");
    // Counters: used 1 byte off, reserved none though an upload is open.
    const rightUsed = stuck.sizeBytes + unscanned.sizeBytes + lost.sizeBytes;
    await User.query(deps.db)
      .patch({ usedBytes: rightUsed + 1, reservedBytes: 0 })
      .where({ id: user.id });
    const overdrawn = await Share.query(deps.db).insertAndFetch({
      fileId: unscanned.id,
      ownerId: user.id,
      token: randomUUID(),
      maxDownloads: 1,
      downloadCount: 2,
    });
    await deps.db("share_downloads").insert([1, 2, 3].map(() => ({ share_id: overdrawn.id, bytes: 16 })));
    const leak = await Share.query(deps.db).insertAndFetch({
      fileId: outside.id,
      ownerId: user.id,
      token: randomUUID(),
    });

    const found = await check([user.id]);
    const summary = found.map((violation) => ({
      invariant: violation.invariant,
      code: violation.code,
      ids: violation.ids,
    }));
    expect(summary).toEqual(
      expect.arrayContaining([
        { invariant: 1, code: "stale_upload", ids: { fileId: stale.id, ...ids } },
        {
          invariant: 1,
          code: "processing_without_workflow",
          ids: { fileId: stuck.id, ...ids, workflowId: `file-lifecycle-${stuck.id}` },
        },
        { invariant: 2, code: "ready_without_clean_scan", ids: { fileId: unscanned.id, ...ids } },
        { invariant: 2, code: "ready_without_object", ids: { fileId: lost.id, ...ids, key: lost.s3Key } },
        { invariant: 3, code: "used_bytes_drift", ids },
        { invariant: 3, code: "reserved_bytes_drift", ids },
        { invariant: 4, code: "orphan_object", ids: { key: orphanKey, ...ids } },
        { invariant: 4, code: "missing_object", ids: { fileId: lostQuarantine.id, ...ids, key: lostQuarantine.s3Key } },
        { invariant: 5, code: "downloads_over_limit", ids: { shareId: overdrawn.id } },
        { invariant: 5, code: "uncounted_downloads", ids: { shareId: overdrawn.id } },
        { invariant: 6, code: "quarantine_outside_prefix", ids: { fileId: outside.id, ...ids } },
        { invariant: 6, code: "quarantine_share_live", ids: { fileId: outside.id, ...ids, shareId: leak.id } },
      ]),
    );
    // The quarantined row outside quarantine/ also keeps an object no quarantined file may keep there.
    expect(summary).toContainEqual({
      invariant: 4,
      code: "orphan_object",
      ids: { key: outside.s3Key, ...ids, fileId: outside.id },
    });
    expect(found).toHaveLength(13);
  });

  it("leaves alone what is in flight: young objects and rows, and objects a committed delete will remove", async () => {
    const { user } = await createUser(deps);
    const young = fileKey({ ownerId: user.id, id: randomUUID() });
    await deps.storage.putObject(young, Buffer.from("just written"), "application/octet-stream");
    expect(
      await checkInvariants({ db: deps.db, storage: deps.storage }, { ...options([user.id]), graceMs: HOUR }),
    ).toEqual([]);

    const pending = fileKey({ ownerId: user.id, id: randomUUID() });
    await deps.storage.putObject(pending, Buffer.from("being deleted"), "application/octet-stream");
    await deps.db.transaction((trx) => recordObjectDeletions(trx, [{ key: pending, reason: "file_deleted" }]));
    const found = await checkInvariants(
      { db: deps.db, storage: deps.storage },
      { ...options([user.id]), pendingDeletions: (keys) => pendingDeletionKeys(deps.db, keys) },
    );
    expect(found.map((violation) => violation.ids.key)).toEqual([young]);
  });

  it("pnpm check:invariants prints each violation with its ids and exits 1; 0 when all hold", async () => {
    const env = { ...process.env, DATABASE_URL: process.env.TEST_DATABASE_URL!, LOG_LEVEL: "silent" };
    const cli = (args: string[]) =>
      run(process.execPath, [path.join(root, "dist/db/invariants-cli.js"), "--grace-seconds", "0", ...args], {
        cwd: root,
        env,
      }).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
      );
    const healthy = await healthyUser();
    expect(await cli(["--user", healthy.id])).toEqual({ code: 0, stdout: "invariants hold: no violations\n" });

    const { user } = await createUser(deps);
    broken.push(user.id);
    await User.query(deps.db).patch({ usedBytes: 5 }).where({ id: user.id });
    const drifted = await cli(["--user", user.id, "--no-temporal"]);
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain(`invariant 3 used_bytes_drift userId=${user.id}: used_bytes is 5`);
    expect(drifted.stdout).toContain("1 violations: 1 of invariant 3");
  });
});
