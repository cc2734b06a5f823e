import { randomUUID } from "node:crypto";
import { User } from "../db/models";
import { accountDeletionId } from "../lib/account-deletion";
import { createUser } from "../test/factories";
import { type FilesTestbed, startFilesTestbed } from "../test/files-testbed";
import { DAY, housekeepingTestSettings, runNightlyMaintenance } from "../test/housekeeping";

const ago = (ms: number) => new Date(Date.now() - ms);
const ahead = (ms: number) => new Date(Date.now() + ms);

async function hashesOf(bed: FilesTestbed, table: string, userId: string): Promise<string[]> {
  return (await bed.deps.db(table).where({ userId }).select("tokenHash")).map((row) => row.tokenHash as string);
}

async function countOf(bed: FilesTestbed, table: string, where: Record<string, string>): Promise<number> {
  return Number(((await bed.deps.db(table).where(where).count({ n: "*" }).first()) as { n: string | number }).n);
}

describe("nightly maintenance prunes account records", () => {
  let bed: FilesTestbed;
  beforeAll(async () => {
    bed = await startFilesTestbed({ ...housekeepingTestSettings, HOUSEKEEPING_BATCH_SIZE: "3" });
  });
  afterAll(async () => {
    await bed.close();
  });

  it("deletes spent, revoked and expired tokens and links, old login attempts and locks, page by page; keeps what still counts", async () => {
    const { db } = bed.deps;
    const { user } = await createUser(bed.deps);
    const uid = user.id;
    const family = randomUUID();
    const token = (name: string, row: Record<string, unknown>) =>
      db("refresh_tokens")
        .insert({ userId: uid, familyId: row.familyId ?? randomUUID(), tokenHash: `${name}-${randomUUID()}`, ...row })
        .returning("tokenHash")
        .then(([r]) => r.tokenHash as string);
    const stale = {
      expired: await token("expired", { expiresAt: ago(2 * DAY) }),
      revoked: await token("revoked", { expiresAt: ahead(DAY), revokedAt: ago(2 * DAY) }),
      expiredSpent: await token("expired-spent", { expiresAt: ago(2 * DAY), usedAt: ago(3 * DAY) }),
    };
    const kept = {
      live: await token("live", { familyId: family, expiresAt: ahead(DAY) }),
      // Spent but not expired: kept so a copy coming back is still recognised as reuse.
      spent: await token("spent", { familyId: family, expiresAt: ahead(DAY), usedAt: ago(2 * DAY) }),
      justRevoked: await token("just-revoked", { expiresAt: ahead(DAY), revokedAt: ago(60_000) }),
    };
    for (const table of ["email_verifications", "password_resets"]) {
      await db(table).insert([
        { userId: uid, tokenHash: `old-used-${randomUUID()}`, expiresAt: ahead(DAY), usedAt: ago(2 * DAY) },
        { userId: uid, tokenHash: `old-expired-${randomUUID()}`, expiresAt: ago(2 * DAY) },
        { userId: uid, tokenHash: `kept-${randomUUID()}`, expiresAt: ahead(DAY) },
      ]);
    }
    const email = `prune-${randomUUID()}@example.com`;
    await db("login_attempts").insert([
      ...Array.from({ length: 7 }, () => ({ email, ip: "10.0.0.1", succeeded: false, at: ago(3 * DAY) })),
      { email, ip: "10.0.0.1", succeeded: false, at: ago(60_000) },
    ]);
    await db("login_locks").insert([
      { email, ip: "10.0.0.1", lockedAt: ago(3 * DAY), lockedUntil: ago(3 * DAY - 900_000) },
      { email, ip: "10.0.0.2", lockedAt: ago(60_000), lockedUntil: ahead(900_000) },
    ]);

    const report = await runNightlyMaintenance(bed, { orphanObjectMinAgeMs: DAY });
    // Other tests' rows may be pruned too; ours are at least these.
    expect(report.accounts?.pruned.refresh_tokens).toBeGreaterThanOrEqual(3);
    expect(report.accounts?.pruned.login_attempts).toBeGreaterThanOrEqual(7);

    const hashes = await hashesOf(bed, "refresh_tokens", uid);
    for (const hash of Object.values(stale)) expect(hashes).not.toContain(hash);
    for (const hash of Object.values(kept)) expect(hashes).toContain(hash);
    for (const table of ["email_verifications", "password_resets"]) {
      expect((await hashesOf(bed, table, uid)).map((hash) => hash.split("-")[0])).toEqual(["kept"]);
    }
    expect(await countOf(bed, "login_attempts", { email })).toBe(1);
    expect((await db("login_locks").where({ email }).select("ip")).map((row) => row.ip)).toEqual(["10.0.0.2"]);
  });

  it("restarts the deletion of an account marked for it whose workflow never started", async () => {
    const { user } = await createUser(bed.deps);
    await User.query(bed.deps.db)
      .patch({ deletionRequestedAt: new Date(), disabledAt: new Date() })
      .where({ id: user.id });
    await runNightlyMaintenance(bed, { orphanObjectMinAgeMs: DAY });
    const report = await bed.deps.temporal.workflow.getHandle(accountDeletionId(user.id)).result();
    expect(report).toMatchObject({ userDeleted: true });
    expect(await User.query(bed.deps.db).findById(user.id)).toBeUndefined();
  });

  it("changes nothing in a dry run", async () => {
    const { user } = await createUser(bed.deps);
    await bed.deps
      .db("email_verifications")
      .insert({ userId: user.id, tokenHash: randomUUID(), expiresAt: ago(2 * DAY) });
    const report = await runNightlyMaintenance(bed, { dryRun: true });
    expect(report.accounts?.pruned.email_verifications).toBeGreaterThanOrEqual(1);
    expect(await countOf(bed, "email_verifications", { userId: user.id })).toBe(1);
  });
});
