import { Context, log } from "@temporalio/activity";
import {
  type KeyedRow,
  findRowsInKeyRange,
  listUserIds,
  reconcileUsedBytes,
} from "../db/commands/housekeeping/reconcile";
import {
  type ReconcileCursor,
  type ReconcileReport,
  SAMPLE_SIZE,
  type StorageFindings,
  type Tally,
  addTally,
  emptyReconcileReport,
} from "../lib/housekeeping";
import { statusRule } from "../lib/file-status";
import { OBJECT_AREAS, type ObjectArea, areaPrefix } from "../lib/object-keys";
import type { ListedObject } from "../lib/s3";
import type { ActivityDeps } from "./deps";
import { forEachLimited, tallyOf } from "./housekeeping-batch";

export interface ReconcileProps {
  dryRun: boolean;
  /** Where the previous call stopped; null to start with the first user. */
  after: ReconcileCursor | null;
  /** Objects per S3 page (and rows per query); a call lists up to PAGES_PER_CALL pages. */
  limit: number;
  /** Orphans last modified before this moment (ISO) are deleted; younger ones only reported. */
  orphanBefore: string;
}

export interface ReconcileBatch {
  report: ReconcileReport;
  next: ReconcileCursor | null;
}

/**
 * One call lists up to this many full pages' worth of objects, and stops after this many listings
 * (users with few objects go many to a call) or this long: fewer, longer calls keep Temporal's
 * per-call cost small next to the work, and heartbeats keep them safe.
 */
const PAGES_PER_CALL = 10;
const MAX_LISTINGS_PER_CALL = 60;
const CALL_BUDGET_MS = 20_000;
/** Orphan deletes in flight at once. */
const DELETE_CONCURRENCY = 8;

/** Which rows keep an object under each area alive, and which rows must have one there. */
const keeps: Record<ObjectArea, (row: KeyedRow) => boolean> = {
  files: (row) => statusRule(row.status).keepsBytes && statusRule(row.status).area === "files",
  quarantine: (row) => statusRule(row.status).keepsBytes && statusRule(row.status).area === "quarantine",
  thumbnails: () => true,
};
const needsObject: Record<ObjectArea, (row: KeyedRow) => boolean> = {
  files: (row) => statusRule(row.status).hasObject && statusRule(row.status).area === "files",
  quarantine: (row) => statusRule(row.status).hasObject && statusRule(row.status).area === "quarantine",
  thumbnails: () => false,
};

/** Every key under a prefix ending in "/" sorts below this bound (byte order: "0" follows "/"). */
const prefixEnd = (prefix: string) => `${prefix.slice(0, -1)}0`;
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

interface PageSweep {
  listed: number;
  orphans: Tally;
  orphansDeleted: Tally;
  missing: Tally;
  /** The last key this page covered, or null when the area is done. */
  next: string | null;
  /** The listing's token for the page after `next`, when the page ended where the listing did. */
  nextToken: string | null;
}

const noFindings = (): StorageFindings => ({
  orphanObjects: 0,
  orphanBytes: 0,
  orphansDeleted: 0,
  orphanKeys: [],
  missingObjects: 0,
  missingBytes: 0,
  missingFileIds: [],
});

/**
 * The nightly reconcile, one budget of work per call: user after user (id order), each of their
 * S3 areas page by page joined with the file rows of the same key range, then used_bytes set
 * right. The returned cursor says exactly where to go on, so a call can be retried or the run
 * stopped at any point; repeating a page repeats only reports and idempotent deletes.
 */
export function reconcileStorageActivity(deps: ActivityDeps) {
  /**
   * One S3 page of a user's area, merged with the rows whose keys fall in the same range (two
   * sorted streams: memory flat, each side bounded by `limit`). Objects no row keeps are orphans,
   * deleted once old enough; rows that must have an object and were not listed are missing.
   */
  async function sweepPage(props: {
    dryRun: boolean;
    userId: string;
    area: ObjectArea;
    startAfter: string | null;
    continuationToken: string | null;
    limit: number;
    orphanBefore: Date;
  }): Promise<PageSweep> {
    const prefix = areaPrefix(props.area, props.userId);
    const listedAt = new Date();
    const page = await deps.storage.listObjectsPage({
      prefix,
      startAfter: props.startAfter ?? undefined,
      continuationToken: props.continuationToken ?? undefined,
      maxKeys: props.limit,
    });
    const lastListed = page.objects[page.objects.length - 1];
    let upTo = page.truncated && lastListed ? lastListed.key : prefixEnd(prefix);
    let done = !page.truncated;
    let nextToken = page.nextToken ?? null;
    const rows = await findRowsInKeyRange(deps.db, {
      column: props.area === "thumbnails" ? "thumbnailKey" : "s3Key",
      after: props.startAfter ?? prefix,
      upTo,
      limit: props.limit + 1,
    });
    if (rows.length > props.limit) {
      // More rows than objects in this range (objects missing): stop at the last row we keep.
      rows.length = props.limit;
      upTo = rows[rows.length - 1].key;
      done = false;
      nextToken = null; // the listing went further than this page covers
    }
    const objects = page.objects.filter((object) => byteOrder(object.key, upTo) <= 0);
    const rowsByKey = new Map(rows.map((row) => [row.key, row]));
    const listed = new Set(objects.map((object) => object.key));

    const orphans = objects.filter((object) => {
      const row = rowsByKey.get(object.key);
      return !row || !keeps[props.area](row);
    });
    const deletable = orphans.filter((object) => object.lastModified < props.orphanBefore);
    if (!props.dryRun)
      await forEachLimited(deletable, DELETE_CONCURRENCY, (object) => deps.storage.deleteObject(object.key));
    // A row changed after the listing began may have got its object since: not counted.
    const missing = rows.filter(
      (row) => needsObject[props.area](row) && !listed.has(row.key) && row.updatedAt < listedAt,
    );

    const asItems = (list: ListedObject[]) => list.map((object) => ({ name: object.key, bytes: object.sizeBytes }));
    return {
      listed: page.objects.length,
      orphans: tallyOf(asItems(orphans)),
      orphansDeleted: tallyOf(asItems(deletable)),
      missing: tallyOf(missing.map((row) => ({ name: row.id, bytes: row.sizeBytes }))),
      next: done ? null : upTo,
      nextToken: done ? null : nextToken,
    };
  }

  async function userAfter(userId: string | null): Promise<ReconcileCursor | null> {
    const [next] = await listUserIds(deps.db, { after: userId, limit: 1 });
    return next ? { userId: next, area: 0, startAfter: null, continuationToken: null, findings: noFindings() } : null;
  }

  function record(findings: StorageFindings, sweep: PageSweep): void {
    findings.orphanObjects += sweep.orphans.count;
    findings.orphanBytes += sweep.orphans.bytes;
    findings.orphansDeleted += sweep.orphansDeleted.count;
    findings.orphanKeys.push(...sweep.orphans.sample.slice(0, Math.max(0, SAMPLE_SIZE - findings.orphanKeys.length)));
    findings.missingObjects += sweep.missing.count;
    findings.missingBytes += sweep.missing.bytes;
    findings.missingFileIds.push(
      ...sweep.missing.sample.slice(0, Math.max(0, SAMPLE_SIZE - findings.missingFileIds.length)),
    );
  }

  async function settleUser(cursor: ReconcileCursor, dryRun: boolean, report: ReconcileReport): Promise<void> {
    const { userId, findings } = cursor;
    const check = await reconcileUsedBytes(deps.db, { userId, dryRun, findings });
    report.usersChecked += 1;
    if (check && check.drift !== 0)
      addTally(report.usersCorrected, { count: 1, bytes: Math.abs(check.drift), sample: [userId] });
    const worthSaying = (check && check.drift !== 0) || findings.orphanObjects > 0 || findings.missingObjects > 0;
    if (worthSaying) log.warn("storage reconciled", { userId, dryRun, ...check, ...findings });
    if (dryRun) return;
    const metrics = deps.metrics.housekeeping;
    metrics.orphanObjects.inc(findings.orphanObjects);
    metrics.orphanObjectsDeleted.inc(findings.orphansDeleted);
    metrics.missingObjects.inc(findings.missingObjects);
    if (check && check.drift !== 0) {
      metrics.reconcileDriftBytes.inc(Math.abs(check.drift));
      metrics.reconcileUsersCorrected.inc();
    }
  }

  return async function reconcileStorage(props: ReconcileProps): Promise<ReconcileBatch> {
    const context = Context.current();
    const started = Date.now();
    const orphanBefore = new Date(props.orphanBefore);
    const report = emptyReconcileReport();
    let cursor = props.after ?? (await userAfter(null));
    const budget = props.limit * PAGES_PER_CALL;
    let listedKeys = 0;
    let listings = 0;
    while (cursor) {
      const spent = listedKeys >= budget || listings >= MAX_LISTINGS_PER_CALL || Date.now() - started >= CALL_BUDGET_MS;
      if (spent || context.cancellationSignal.aborted) return { report, next: cursor };
      if (cursor.area < OBJECT_AREAS.length) {
        const sweep = await sweepPage({
          dryRun: props.dryRun,
          userId: cursor.userId,
          area: OBJECT_AREAS[cursor.area],
          startAfter: cursor.startAfter,
          continuationToken: cursor.continuationToken,
          limit: Math.min(props.limit, budget - listedKeys),
          orphanBefore,
        });
        listedKeys += sweep.listed;
        listings += 1;
        record(cursor.findings, sweep);
        addTally(report.orphanObjects, sweep.orphans);
        addTally(report.orphansDeleted, sweep.orphansDeleted);
        addTally(report.missingObjects, sweep.missing);
        cursor = sweep.next
          ? { ...cursor, startAfter: sweep.next, continuationToken: sweep.nextToken }
          : { ...cursor, area: cursor.area + 1, startAfter: null, continuationToken: null };
      } else {
        await settleUser(cursor, props.dryRun, report);
        cursor = await userAfter(cursor.userId);
      }
      context.heartbeat(cursor?.userId);
    }
    return { report, next: null };
  };
}
