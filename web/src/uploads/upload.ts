import { SpeedMeter } from "./speed";
import type { TimerHandle, UploadRow, UploadSource, UploadState } from "./types";

/** One part of an open upload: its byte range, and its ETag once storage holds it. */
export interface PartProgress {
  readonly partNumber: number;
  readonly start: number;
  readonly end: number;
  etag: string | null;
  /** Bytes of this part sent so far in the PUT in flight. */
  loaded: number;
  durationMs?: number;
}

/** The server's plan for an upload it holds open. */
export interface UploadPlan {
  fileId: string;
  partSize: number;
  partCount: number;
}

/** The engine's mutable record of one row; the snapshot shows immutable copies of it. */
export interface Upload {
  readonly id: string;
  source: UploadSource | null;
  name: string;
  sizeBytes: number;
  mimeType: string;
  folderId: string | null;
  state: UploadState;
  message: string | null;
  errorCode: string | null;
  retryAt: number | null;
  /** Set at initiation and kept after completion (the app polls the file). */
  fileId: string | null;
  /** Set while the server holds the upload open. */
  plan: UploadPlan | null;
  /** Laid out when the upload opens, not before (adding 1,000 files stays cheap). */
  parts: PartProgress[] | null;
  sentBytes: number;
  /** Ask the server which parts it holds before sending (retry, resume after a reload). */
  needsReconcile: boolean;
  pausedByOffline: boolean;
  /** Aborts the run in progress (pause, cancel, failure). */
  controller: AbortController | null;
  heartbeat: TimerHandle | null;
  inQueue: boolean;
  readonly speed: SpeedMeter;
  /** Bumped on every change; the snapshot rebuilds a row only when it moved. */
  rev: number;
  row: UploadRow | null;
  rowRev: number;
}

export function newUpload(id: string, source: UploadSource | null, folderId: string | null): Upload {
  return {
    id,
    source,
    name: source?.name ?? "",
    sizeBytes: source?.size ?? 0,
    mimeType: source?.type ?? "",
    folderId,
    state: "queued",
    message: null,
    errorCode: null,
    retryAt: null,
    fileId: null,
    plan: null,
    parts: null,
    sentBytes: 0,
    needsReconcile: false,
    pausedByOffline: false,
    controller: null,
    heartbeat: null,
    inQueue: false,
    speed: new SpeedMeter(),
    rev: 0,
    row: null,
    rowRev: -1,
  };
}

/** Byte ranges of parts 1..partCount: partSize each, the rest in the last. */
export function layoutParts(sizeBytes: number, partSize: number, partCount: number): PartProgress[] {
  return Array.from({ length: partCount }, (_, i) => {
    const start = i * partSize;
    const end = i === partCount - 1 ? sizeBytes : Math.min(sizeBytes, start + partSize);
    return { partNumber: i + 1, start, end, etag: null, loaded: 0 };
  });
}

export const partBytes = (part: PartProgress): number => part.end - part.start;

/** Bytes storage holds plus bytes of parts in flight. */
export function countSentBytes(parts: readonly PartProgress[]): number {
  return parts.reduce((sum, part) => sum + (part.etag ? partBytes(part) : part.loaded), 0);
}

/** The upload passed `complete`: what follows is the server's (scan) business. */
export function isUploaded(state: UploadState): boolean {
  return (
    state === "processing" || state === "ready" || state === "quarantined" || state === "rejected" || state === "failed"
  );
}

/** Rows the user can take off the list. */
export function isDismissable(state: UploadState): boolean {
  return (
    state === "ready" ||
    state === "quarantined" ||
    state === "rejected" ||
    state === "failed" ||
    state === "refused" ||
    state === "cancelled"
  );
}

/** The engine is (or wants to be) working on it. */
export function isActive(state: UploadState): boolean {
  return state === "queued" || state === "initiating" || state === "uploading" || state === "completing";
}
