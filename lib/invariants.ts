import { type Client, WorkflowNotFoundError } from "@temporalio/client";
import type { Knex } from "knex";
import { findRowsInKeyRange, type KeyedRow } from "../db/commands/housekeeping/reconcile";
import { fileLifecycleId } from "./file-lifecycle";
import { FILE_STATUS_RULES, USED_BYTES_STATUSES } from "./file-status";
import { OBJECT_AREAS, type ObjectArea, areaPrefix, quarantineKey } from "./object-keys";
import type { Storage } from "./s3";

/**
 * The invariants of SPEC §11, checked on any database and bucket, read-only, page by page (memory
 * flat for millions of rows and objects). Each violation names the ids involved.
 */
export interface InvariantViolation {
  /** The number of the invariant in SPEC §11. */
  invariant: 1 | 2 | 3 | 4 | 5 | 6;
  code: string;
  message: string;
  ids: Record<string, string>;
}

export interface InvariantDeps {
  db: Knex;
  storage: Storage;
  /** Asks whether each processing file has a running FileLifecycle; without it that check is skipped. */
  temporal?: Client;
}

export interface InvariantOptions {
  /** An upload with no heartbeat for this long should have been aborted (stale limit + housekeeping period). */
  staleUploadMs: number;
  /**
   * Changes younger than this are in flight, not violations: an object written or a row changed
   * within it (a quarantine copies the object before its row moves; a delete removes the row first).
   */
  graceMs: number;
  /** Rows per query and objects per listing. */
  pageSize?: number;
  /** Only these users' files, shares and objects (tests; an operator looking at a few accounts). */
  ownerIds?: string[];
  /** Permanent deletes recorded but not yet carried out: their objects are not orphans. */
  pendingDeletions?: (keys: string[]) => Promise<Set<string>>;
}

const DEFAULT_PAGE_SIZE = 500;
/** Temporal describes in flight at once. */
const DESCRIBE_CONCURRENCY = 8;

/** Every key under a prefix ending in "/" sorts below this bound (byte order: "0" follows "/"). */
const prefixEnd = (prefix: string) => `${prefix.slice(0, -1)}0`;
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Which rows keep an object alive under each area, and which must have one there. */
function keepsObject(area: ObjectArea, row: KeyedRow): boolean {
  if (area === "thumbnails") return true;
  const rule = FILE_STATUS_RULES[row.status];
  return rule.keepsBytes && rule.area === area;
}
function needsObject(area: ObjectArea, row: KeyedRow): boolean {
  if (area === "thumbnails") return false;
  const rule = FILE_STATUS_RULES[row.status];
  return rule.hasObject && rule.area === area;
}

/** Walks a table in primary-key order, `pageSize` rows at a time. */
async function* pages<T extends { id: string }>(
  pageSize: number,
  fetch: (after: string | null, limit: number) => Promise<T[]>,
): AsyncGenerator<T[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await fetch(after, pageSize);
    if (rows.length) yield rows;
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1].id;
  }
}

/** `AND owner_id = ANY(?)` when the check is scoped to some users. */
function ownerScope(column: string, ownerIds: string[] | undefined): { sql: string; bindings: Knex.RawBinding[] } {
  return ownerIds ? { sql: `AND ${column} = ANY(?::uuid[])`, bindings: [ownerIds] } : { sql: "", bindings: [] };
}

/** Every violation of SPEC §11, as found; a generator, so a caller can print them as they come. */
export async function* findViolations(
  deps: InvariantDeps,
  options: InvariantOptions,
): AsyncGenerator<InvariantViolation> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const startedAt = new Date();
  const settledBefore = new Date(startedAt.getTime() - options.graceMs);
  yield* staleUploads(deps.db, options, pageSize, startedAt);
  yield* processingWithoutWorkflow(deps, options, pageSize, settledBefore);
  yield* readyWithoutCleanScan(deps.db, options, pageSize);
  yield* wrongCounters(deps.db, options, pageSize);
  yield* storageMismatches(deps, options, pageSize, settledBefore);
  yield* shareCounts(deps.db, options, pageSize);
  yield* quarantineLeaks(deps.db, options, pageSize);
}

/** Collects every violation (tests and small databases; the CLI streams them instead). */
export async function checkInvariants(deps: InvariantDeps, options: InvariantOptions): Promise<InvariantViolation[]> {
  const found: InvariantViolation[] = [];
  for await (const violation of findViolations(deps, options)) found.push(violation);
  return found;
}

/** One line for a violation: invariant, code, ids, message. */
export function formatViolation(violation: InvariantViolation): string {
  const ids = Object.entries(violation.ids)
    .map(([name, id]) => `${name}=${id}`)
    .join(" ");
  return `invariant ${violation.invariant} ${violation.code} ${ids}: ${violation.message}`;
}

/** 1. No file stays in uploading past the stale limit. */
async function* staleUploads(
  db: Knex,
  options: InvariantOptions,
  pageSize: number,
  now: Date,
): AsyncGenerator<InvariantViolation> {
  const scope = ownerScope("owner_id", options.ownerIds);
  const staleBefore = new Date(now.getTime() - options.staleUploadMs);
  for await (const rows of pages<{ id: string; ownerId: string; lastSeen: Date }>(pageSize, async (after, limit) => {
    const { rows } = await db.raw(
      `SELECT id, owner_id AS "ownerId", coalesce(last_heartbeat_at, created_at) AS "lastSeen"
         FROM files
        WHERE status = 'uploading' AND coalesce(last_heartbeat_at, created_at) < ? ${scope.sql}
          AND id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') ORDER BY id LIMIT ?`,
      [staleBefore, ...scope.bindings, after, limit],
    );
    return rows;
  })) {
    for (const row of rows)
      yield {
        invariant: 1,
        code: "stale_upload",
        message: `uploading with no heartbeat since ${row.lastSeen.toISOString()}`,
        ids: { fileId: row.id, userId: row.ownerId },
      };
  }
}

/** 1. No file stays in processing without a running FileLifecycle workflow. */
async function* processingWithoutWorkflow(
  deps: InvariantDeps,
  options: InvariantOptions,
  pageSize: number,
  settledBefore: Date,
): AsyncGenerator<InvariantViolation> {
  const temporal = deps.temporal;
  if (!temporal) return;
  const scope = ownerScope("owner_id", options.ownerIds);
  for await (const rows of pages<{ id: string; ownerId: string }>(pageSize, async (after, limit) => {
    const { rows } = await deps.db.raw(
      `SELECT id, owner_id AS "ownerId" FROM files
        WHERE status = 'processing' AND updated_at < ? ${scope.sql}
          AND id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') ORDER BY id LIMIT ?`,
      [settledBefore, ...scope.bindings, after, limit],
    );
    return rows;
  })) {
    const found: InvariantViolation[] = [];
    let next = 0;
    const describeNext = async (): Promise<void> => {
      while (next < rows.length) {
        const row = rows[next++];
        let state: string;
        try {
          state = (await temporal.workflow.getHandle(fileLifecycleId(row.id)).describe()).status.name;
        } catch (error) {
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          state = "NOT_FOUND";
        }
        if (state !== "RUNNING" && (await stillProcessing(deps.db, row.id)))
          found.push({
            invariant: 1,
            code: "processing_without_workflow",
            message: `processing, but its FileLifecycle is ${state}`,
            ids: { fileId: row.id, userId: row.ownerId, workflowId: fileLifecycleId(row.id) },
          });
      }
    };
    await Promise.all(Array.from({ length: DESCRIBE_CONCURRENCY }, describeNext));
    yield* found;
  }
}

async function stillProcessing(db: Knex, fileId: string): Promise<boolean> {
  const { rows } = await db.raw(`SELECT 1 FROM files WHERE id = ? AND status = 'processing'`, [fileId]);
  return rows.length > 0;
}

/** 2. Every ready file has a clean scan record (its object is checked with the bucket, 4). */
async function* readyWithoutCleanScan(
  db: Knex,
  options: InvariantOptions,
  pageSize: number,
): AsyncGenerator<InvariantViolation> {
  const scope = ownerScope("owner_id", options.ownerIds);
  for await (const rows of pages<{ id: string; ownerId: string }>(pageSize, async (after, limit) => {
    const { rows } = await db.raw(
      `SELECT id, owner_id AS "ownerId" FROM files
        WHERE status = 'ready' AND (scanned_at IS NULL OR sha256 IS NULL OR scan_signature IS NOT NULL) ${scope.sql}
          AND id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') ORDER BY id LIMIT ?`,
      [...scope.bindings, after, limit],
    );
    return rows;
  })) {
    for (const row of rows)
      yield {
        invariant: 2,
        code: "ready_without_clean_scan",
        message: "ready without a clean scan record (scanned_at, sha256, no signature)",
        ids: { fileId: row.id, userId: row.ownerId },
      };
  }
}

/** 3. used_bytes and reserved_bytes equal the sums of the user's files; neither negative. */
async function* wrongCounters(
  db: Knex,
  options: InvariantOptions,
  pageSize: number,
): AsyncGenerator<InvariantViolation> {
  const scope = ownerScope("u.id", options.ownerIds);
  type Counted = { id: string; usedBytes: number; reservedBytes: number; rightUsed: number; rightReserved: number };
  for await (const rows of pages<Counted>(pageSize, async (after, limit) => {
    // One statement: one snapshot, so counters and files agree unless a transaction broke them.
    const { rows } = await db.raw(
      `SELECT u.id, u.used_bytes AS "usedBytes", u.reserved_bytes AS "reservedBytes",
              coalesce(sum(f.size_bytes) FILTER (WHERE f.status = ANY(?)), 0)::bigint AS "rightUsed",
              coalesce(sum(f.size_bytes) FILTER (WHERE f.status = 'uploading'), 0)::bigint AS "rightReserved"
         FROM (SELECT id, used_bytes, reserved_bytes FROM users u
                WHERE u.id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') ${scope.sql}
                ORDER BY u.id LIMIT ?) u
         LEFT JOIN files f ON f.owner_id = u.id
        GROUP BY u.id, u.used_bytes, u.reserved_bytes
        ORDER BY u.id`,
      [USED_BYTES_STATUSES, after, ...scope.bindings, limit],
    );
    return rows;
  })) {
    for (const row of rows) {
      const ids = { userId: row.id };
      if (row.usedBytes < 0 || row.reservedBytes < 0)
        yield { invariant: 3, code: "negative_counter", message: "used_bytes or reserved_bytes is negative", ids };
      if (row.usedBytes !== row.rightUsed)
        yield {
          invariant: 3,
          code: "used_bytes_drift",
          message: `used_bytes is ${row.usedBytes}, its files that hold bytes sum to ${row.rightUsed}`,
          ids,
        };
      if (row.reservedBytes !== row.rightReserved)
        yield {
          invariant: 3,
          code: "reserved_bytes_drift",
          message: `reserved_bytes is ${row.reservedBytes}, its open uploads sum to ${row.rightReserved}`,
          ids,
        };
    }
  }
}

/**
 * 4 (and the object half of 2). Each user's areas listed page by page and merged with the rows of
 * the same key range: objects no row keeps are orphans, rows that must have an object and were not
 * listed are missing. Objects outside every user's prefix (another database's, in a shared bucket)
 * are not looked at.
 */
async function* storageMismatches(
  deps: InvariantDeps,
  options: InvariantOptions,
  pageSize: number,
  settledBefore: Date,
): AsyncGenerator<InvariantViolation> {
  const scope = ownerScope("id", options.ownerIds);
  for await (const users of pages<{ id: string }>(pageSize, async (after, limit) => {
    const { rows } = await deps.db.raw(
      `SELECT id FROM users WHERE id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') ${scope.sql}
        ORDER BY id LIMIT ?`,
      [after, ...scope.bindings, limit],
    );
    return rows;
  })) {
    for (const user of users)
      for (const area of OBJECT_AREAS) yield* sweepArea(deps, options, pageSize, settledBefore, user.id, area);
  }
}

async function* sweepArea(
  deps: InvariantDeps,
  options: InvariantOptions,
  pageSize: number,
  settledBefore: Date,
  userId: string,
  area: ObjectArea,
): AsyncGenerator<InvariantViolation> {
  const prefix = areaPrefix(area, userId);
  let startAfter: string | null = null;
  let token: string | undefined;
  for (;;) {
    const page = await deps.storage.listObjectsPage({
      prefix,
      startAfter: startAfter ?? undefined,
      continuationToken: token,
      maxKeys: pageSize,
    });
    const lastListed = page.objects[page.objects.length - 1];
    let upTo = page.truncated && lastListed ? lastListed.key : prefixEnd(prefix);
    let done = !page.truncated;
    token = page.nextToken;
    const rows = await findRowsInKeyRange(deps.db, {
      column: area === "thumbnails" ? "thumbnailKey" : "s3Key",
      after: startAfter ?? prefix,
      upTo,
      limit: pageSize + 1,
    });
    if (rows.length > pageSize) {
      rows.length = pageSize;
      upTo = rows[rows.length - 1].key;
      done = false;
      token = undefined;
    }
    const objects = page.objects.filter((object) => byteOrder(object.key, upTo) <= 0);
    const rowsByKey = new Map(rows.map((row) => [row.key, row]));
    const listed = new Set(objects.map((object) => object.key));
    const orphans = objects.filter((object) => {
      const row = rowsByKey.get(object.key);
      return (!row || !keepsObject(area, row)) && object.lastModified < settledBefore;
    });
    const pending =
      orphans.length && options.pendingDeletions
        ? await options.pendingDeletions(orphans.map((o) => o.key))
        : new Set<string>();
    for (const object of orphans) {
      if (pending.has(object.key)) continue;
      const row = rowsByKey.get(object.key);
      yield {
        invariant: 4,
        code: "orphan_object",
        message: row
          ? `object of ${object.sizeBytes} bytes kept for a file that is ${row.status}`
          : `object of ${object.sizeBytes} bytes with no file row`,
        ids: { key: object.key, userId, ...(row ? { fileId: row.id } : {}) },
      };
    }
    for (const row of rows) {
      if (!needsObject(area, row) || listed.has(row.key) || row.updatedAt >= settledBefore) continue;
      const ready = row.status === "ready";
      yield {
        invariant: ready ? 2 : 4,
        code: ready ? "ready_without_object" : "missing_object",
        message: `${row.status} file without its object`,
        ids: { fileId: row.id, userId: row.ownerId, key: row.key },
      };
    }
    if (done) return;
    startAfter = upTo;
  }
}

/** 5. download_count ≤ max_downloads; no more access-log entries than counted downloads. */
async function* shareCounts(db: Knex, options: InvariantOptions, pageSize: number): AsyncGenerator<InvariantViolation> {
  const scope = ownerScope("s.owner_id", options.ownerIds);
  type Counted = { id: string; downloadCount: number; maxDownloads: number | null; logged: number };
  for await (const rows of pages<Counted>(pageSize, async (after, limit) => {
    const { rows } = await db.raw(
      `SELECT s.id, s.download_count AS "downloadCount", s.max_downloads AS "maxDownloads",
              (SELECT count(*) FROM share_downloads d WHERE d.share_id = s.id)::bigint AS logged
         FROM shares s
        WHERE s.id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') ${scope.sql}
        ORDER BY s.id LIMIT ?`,
      [after, ...scope.bindings, limit],
    );
    return rows;
  })) {
    for (const row of rows) {
      if (row.maxDownloads !== null && row.downloadCount > row.maxDownloads)
        yield {
          invariant: 5,
          code: "downloads_over_limit",
          message: `download_count ${row.downloadCount} > max_downloads ${row.maxDownloads}`,
          ids: { shareId: row.id },
        };
      if (row.logged > row.downloadCount)
        yield {
          invariant: 5,
          code: "uncounted_downloads",
          message: `${row.logged} access-log entries for ${row.downloadCount} counted downloads`,
          ids: { shareId: row.id },
        };
    }
  }
}

/** 6. Every quarantined file is under quarantine/ and none of its shares is live. */
async function* quarantineLeaks(
  db: Knex,
  options: InvariantOptions,
  pageSize: number,
): AsyncGenerator<InvariantViolation> {
  const scope = ownerScope("f.owner_id", options.ownerIds);
  type Quarantined = { id: string; ownerId: string; s3Key: string; liveShares: string[] | null };
  for await (const rows of pages<Quarantined>(pageSize, async (after, limit) => {
    const { rows } = await db.raw(
      `SELECT f.id, f.owner_id AS "ownerId", f.s3_key AS "s3Key",
              (SELECT array_agg(s.id::text) FROM shares s WHERE s.file_id = f.id AND s.revoked_at IS NULL) AS "liveShares"
         FROM files f
        WHERE f.status = 'quarantined' ${scope.sql}
          AND f.id > coalesce(?::uuid, '00000000-0000-0000-0000-000000000000') ORDER BY f.id LIMIT ?`,
      [...scope.bindings, after, limit],
    );
    return rows;
  })) {
    for (const row of rows) {
      const ids = { fileId: row.id, userId: row.ownerId };
      if (row.s3Key !== quarantineKey({ id: row.id, ownerId: row.ownerId }))
        yield { invariant: 6, code: "quarantine_outside_prefix", message: `object key is ${row.s3Key}`, ids };
      for (const shareId of row.liveShares ?? [])
        yield {
          invariant: 6,
          code: "quarantine_share_live",
          message: "a share of a quarantined file is live",
          ids: { ...ids, shareId },
        };
    }
  }
}
