import { randomUUID } from "node:crypto";
import { Share, ShareDownload } from "../db/models";
import {
  SHARE_CLEANUP_SCHEDULE_ID,
  SHARE_CLEANUP_WORKFLOW,
  shareCleanupInput,
  type ShareCleanupResult,
} from "../lib/share-cleanup";
import { createUser, type TestUser } from "../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../test/files-testbed";
import { eventually, insertShare, readyFile, shareTestEnv } from "../test/shares";
import { api, randomBytesOf } from "../test/uploads";
import { ensureSchedules, scheduleDefinitions } from "../worker/schedules";
import { executeWorkflow } from "../lib/workflow-start";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe("the hourly share-cleanup schedule", () => {
  let bed: FilesTestbed;
  let owner: TestUser;
  let fileId: string;
  let trashedFileId: string;
  beforeAll(async () => {
    // Batches of 3, so every kind below takes several statements.
    bed = await startFilesTestbed(
      shareTestEnv({
        SHARE_CLEANUP_BATCH_SIZE: "3",
        SHARE_REVOKED_RETENTION_DAYS: "30",
        SHARE_PASSWORD_WINDOW_SECONDS: "900",
      }),
    );
    owner = await createUser(bed.deps);
    fileId = await readyFile(bed.server.url, owner, "kept.txt", randomBytesOf(10));
    trashedFileId = await readyFile(bed.server.url, owner, "binned.txt", randomBytesOf(10));
    await api(bed.server.url, "DELETE", `/files/${trashedFileId}`, { user: owner });
  });
  afterAll(() => bed.close());

  const ago = (ms: number) => new Date(Date.now() - ms);
  const many = (n: number, row: Partial<Share>) =>
    Promise.all(Array.from({ length: n }, () => insertShare(bed.deps, { ownerId: owner.user.id, fileId, ...row })));
  const guessCounter = (shareId: string, startedAt: Date) =>
    bed.deps.db("sharePasswordGuesses").insert({ shareId, ip: "10.0.0.1", windowStartedAt: startedAt, failures: 4 });

  /** Starts the schedule's action now, as the hourly timer would, and waits for the run's result. */
  async function triggerCleanup(): Promise<ShareCleanupResult> {
    const definition = scheduleDefinitions(bed.deps.config).find((d) => d.id === SHARE_CLEANUP_SCHEDULE_ID)!;
    // A schedule of this test's own, on the testbed's task queue: the shared Temporal server may
    // hold the real one.
    const id = `${SHARE_CLEANUP_SCHEDULE_ID}-test-${randomUUID()}`;
    const mine = { ...definition, id };
    await ensureSchedules(bed.deps.temporal, bed.taskQueue, [mine], bed.deps.logger);
    await ensureSchedules(bed.deps.temporal, bed.taskQueue, [mine], bed.deps.logger); // a worker restart: updated, not duplicated
    const handle = bed.deps.temporal.schedule.getHandle(id);
    try {
      const described = await handle.describe();
      expect(described.spec.intervals).toMatchObject([{ every: 60 * 60_000 }]);
      expect(described.action).toMatchObject({
        type: "startWorkflow",
        workflowType: SHARE_CLEANUP_WORKFLOW,
        taskQueue: bed.taskQueue,
      });
      expect(described.action.type === "startWorkflow" && described.action.args).toEqual([
        shareCleanupInput(bed.deps.config),
      ]);
      await handle.trigger();
      const action = await eventually(async () => (await handle.describe()).info.recentActions[0]?.action, 30_000);
      return await bed.deps.temporal.workflow.getHandle(action.workflow.workflowId).result();
    } finally {
      await handle.delete();
    }
  }

  it("deletes expired, consumed and long-revoked shares (with their logs) in batches, and nothing else", async () => {
    const expired = await many(7, { expiresAt: ago(HOUR) });
    const consumed = await many(4, { maxDownloads: 2, downloadCount: 2 });
    const longRevoked = [
      ...(await many(3, { revokedAt: ago(31 * DAY) })),
      ...(await many(1, { fileId: null, revokedAt: ago(40 * DAY) })),
    ];
    await ShareDownload.query(bed.deps.db).insert({
      shareId: expired[0].id,
      ip: "10.0.0.9",
      userAgent: "x",
      bytes: 10,
    });
    await guessCounter(expired[1].id, ago(HOUR));

    const kept = {
      live: await insertShare(bed.deps, { ownerId: owner.user.id, fileId }),
      expiresLater: await insertShare(bed.deps, {
        ownerId: owner.user.id,
        fileId,
        expiresAt: new Date(Date.now() + HOUR),
      }),
      partlyUsed: await insertShare(bed.deps, { ownerId: owner.user.id, fileId, maxDownloads: 3, downloadCount: 2 }),
      recentlyRevoked: await insertShare(bed.deps, { ownerId: owner.user.id, fileId, revokedAt: ago(29 * DAY) }),
      fileInTrash: await insertShare(bed.deps, { ownerId: owner.user.id, fileId: trashedFileId }),
    };
    await ShareDownload.query(bed.deps.db).insert({
      shareId: kept.partlyUsed.id,
      ip: "10.0.0.9",
      userAgent: "x",
      bytes: 10,
    });
    await guessCounter(kept.live.id, ago(2 * HOUR)); // window over: spent
    await guessCounter(kept.partlyUsed.id, ago(60_000)); // window still running

    const result = await triggerCleanup();
    // Other test files of this database may have left due shares too: at least ours went.
    expect(result.expired).toBeGreaterThanOrEqual(7);
    expect(result.consumed).toBeGreaterThanOrEqual(4);
    expect(result.revoked).toBeGreaterThanOrEqual(4);
    expect(result.passwordGuesses).toBeGreaterThanOrEqual(1);

    const gone = [...expired, ...consumed, ...longRevoked].map((s) => s.id);
    expect(await Share.query(bed.deps.db).findByIds(gone)).toEqual([]);
    expect(await ShareDownload.query(bed.deps.db).where({ shareId: expired[0].id })).toEqual([]);
    const remaining = await Share.query(bed.deps.db).findByIds(Object.values(kept).map((s) => s.id));
    expect(remaining.map((s) => s.id).sort()).toEqual(
      Object.values(kept)
        .map((s) => s.id)
        .sort(),
    );
    expect(await ShareDownload.query(bed.deps.db).where({ shareId: kept.partlyUsed.id })).toHaveLength(1);
    const counters = await bed.deps
      .db("sharePasswordGuesses")
      .whereIn("shareId", [kept.live.id, kept.partlyUsed.id])
      .select("shareId");
    expect(counters).toEqual([{ shareId: kept.partlyUsed.id }]);

    // Running again (an interrupted run retried, or the next hour) finds nothing more of ours.
    const again = await executeWorkflow(bed.deps.temporal, SHARE_CLEANUP_WORKFLOW, {
      taskQueue: bed.taskQueue,
      workflowId: `share-cleanup-rerun-${randomUUID()}`,
      args: [shareCleanupInput(bed.deps.config)],
    });
    expect(again).toEqual({ expired: 0, consumed: 0, revoked: 0, passwordGuesses: 0 });
    expect(await Share.query(bed.deps.db).findByIds(Object.values(kept).map((s) => s.id))).toHaveLength(5);
  });
});
