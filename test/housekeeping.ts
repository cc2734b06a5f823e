// Helpers for the housekeeping tests: run the workflows on a testbed's queue, put files straight
// into the database and the bucket (states the API cannot reach quickly: old trash, a file stuck in
// processing), and take snapshots of what a user has in both.
import { randomUUID } from "node:crypto";
import { File, Folder, Share, User, type FileStatus } from "../db/models";
import {
  type NightlyMaintenanceInput,
  NIGHTLY_MAINTENANCE_WORKFLOW,
  SAMPLE_SIZE,
  type Tally,
  type UploadHousekeepingInput,
  type UploadHousekeepingReport,
  UPLOAD_HOUSEKEEPING_WORKFLOW,
  nightlyMaintenanceInput,
  uploadHousekeepingInput,
} from "../lib/housekeeping";
import { areaPrefix, fileKey, quarantineKey, thumbnailKey } from "../lib/object-keys";
import type { UploadsMarker } from "../lib/s3";
import type { FilesTestbed } from "./files-testbed";
import { executeWorkflow } from "../lib/workflow-start";

export const DAY = 24 * 3600 * 1000;

/**
 * The report names each of these items — unless its sample is full, which happens when a shared
 * test database holds more due items from other tests than a report names; the count then says it.
 */
export function expectReported(tally: Tally, names: string[]): void {
  if (tally.sample.length < SAMPLE_SIZE) expect(tally.sample).toEqual(expect.arrayContaining(names));
  else expect(tally.count).toBeGreaterThanOrEqual(SAMPLE_SIZE);
  expect(tally.count).toBeGreaterThanOrEqual(names.length);
}

/** Short heartbeat timeout so a killed worker's batch is retried within a test. */
export const housekeepingTestSettings = { HOUSEKEEPING_HEARTBEAT_TIMEOUT_MS: "3000" };

export async function runUploadHousekeeping(
  bed: FilesTestbed,
  overrides: Partial<UploadHousekeepingInput> = {},
): Promise<UploadHousekeepingReport> {
  return executeWorkflow(bed.deps.temporal, UPLOAD_HOUSEKEEPING_WORKFLOW, {
    taskQueue: bed.taskQueue,
    workflowId: `test-upload-housekeeping-${randomUUID()}`,
    args: [{ ...uploadHousekeepingInput(bed.deps.config), ...overrides }],
  });
}

export async function runNightlyMaintenance(bed: FilesTestbed, overrides: Partial<NightlyMaintenanceInput> = {}) {
  return executeWorkflow(bed.deps.temporal, NIGHTLY_MAINTENANCE_WORKFLOW, {
    taskQueue: bed.taskQueue,
    workflowId: `test-nightly-maintenance-${randomUUID()}`,
    args: [{ ...nightlyMaintenanceInput(bed.deps.config), ...overrides }],
  });
}

export interface PlantedFile {
  status: FileStatus;
  /** Object bytes; defaults to a few unique bytes. */
  bytes?: Buffer;
  folderId?: string | null;
  trashedAt?: Date;
  /** Backdates updated_at (failed uploads age by it). */
  updatedAt?: Date;
  /** false: the row has no object in S3. */
  withObject?: boolean;
  withThumbnail?: boolean;
}

/**
 * A file row with its object (under quarantine/ when quarantined) and, for processing and ready,
 * its bytes added to the owner's used_bytes, as the real commands would leave them.
 */
export async function plantFile(bed: FilesTestbed, ownerId: string, plant: PlantedFile): Promise<File> {
  const { db, storage } = bed.deps;
  const id = randomUUID();
  const bytes = plant.bytes ?? Buffer.from(`planted file ${id}\n`);
  const s3Key = plant.status === "quarantined" ? quarantineKey({ ownerId, id }) : fileKey({ ownerId, id });
  const thumbnail = plant.withThumbnail ? thumbnailKey({ ownerId, id }) : null;
  if (plant.withObject !== false) await storage.putObject(s3Key, bytes, "application/octet-stream");
  if (thumbnail) await storage.putObject(thumbnail, Buffer.from("thumbnail"), "image/webp");
  const file = await File.query(db).insertAndFetch({
    id,
    ownerId,
    folderId: plant.folderId ?? null,
    name: `planted-${id}.bin`,
    sizeBytes: bytes.length,
    mimeType: "application/octet-stream",
    s3Key,
    status: plant.status,
    thumbnailKey: thumbnail,
    trashedAt: plant.trashedAt ?? null,
    trashRootId: plant.trashedAt ? id : null,
  });
  if (plant.status === "processing" || plant.status === "ready") {
    await User.query(db)
      .patch({ usedBytes: User.raw("used_bytes + ?", [bytes.length]) })
      .where({ id: ownerId });
  }
  if (plant.updatedAt) await db("files").where({ id }).update({ updatedAt: plant.updatedAt });
  return file;
}

/** A folder of the user's, in the trash since `trashedAt` when given. */
export async function plantFolder(
  bed: FilesTestbed,
  ownerId: string,
  props: { parentId?: string | null; trashedAt?: Date } = {},
): Promise<Folder> {
  const id = randomUUID();
  return Folder.query(bed.deps.db).insertAndFetch({
    id,
    ownerId,
    parentId: props.parentId ?? null,
    name: `folder-${id}`,
    trashedAt: props.trashedAt ?? null,
    trashRootId: props.trashedAt ? id : null,
  });
}

/** Every key under the user's three prefixes, sorted. */
export async function keysOf(bed: FilesTestbed, userId: string): Promise<string[]> {
  const keys: string[] = [];
  for (const area of ["files", "quarantine", "thumbnails"] as const) {
    for await (const object of bed.deps.storage.listObjects(areaPrefix(area, userId))) keys.push(object.key);
  }
  return keys.sort();
}

/** The bucket's open multipart uploads under the user's prefix. */
export async function multipartUploadsOf(bed: FilesTestbed, userId: string): Promise<string[]> {
  const found: string[] = [];
  let after: UploadsMarker | undefined;
  do {
    const page = await bed.deps.storage.listMultipartUploadsPage({ after, maxUploads: 1000 });
    for (const upload of page.uploads)
      if (upload.key.startsWith(`${userId}/`)) found.push(`${upload.key} ${upload.uploadId}`);
    after = page.next ?? undefined;
  } while (after);
  return found.sort();
}

/** What the database and the bucket hold for these users, to compare before and after a dry run. */
export async function snapshotOf(bed: FilesTestbed, userIds: string[]) {
  const { db } = bed.deps;
  const perUser = await Promise.all(
    userIds.map(async (userId) => ({
      user: await User.query(db).findById(userId),
      files: await File.query(db).where({ ownerId: userId }).orderBy("id"),
      folders: await Folder.query(db).where({ ownerId: userId }).orderBy("id"),
      shares: await Share.query(db).where({ ownerId: userId }).orderBy("id"),
      keys: await keysOf(bed, userId),
      uploads: await multipartUploadsOf(bed, userId),
    })),
  );
  const counts = await db.raw<{ rows: unknown[] }>(
    "SELECT (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM upload_events) AS events",
  );
  return { perUser, counts: counts.rows[0] };
}

/** Polls `read` until `done` says yes. */
export async function waitUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
