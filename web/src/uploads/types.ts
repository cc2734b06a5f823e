import type { components } from "../lib/api/schema";

/** A file as the API describes it. */
export type ApiFile = components["schemas"]["File"];

/** What the engine uploads. A DOM `File` is one. */
export interface UploadSource extends Blob {
  readonly name: string;
  readonly lastModified: number;
}

/** One file handed to `add`: the bytes and the folder to upload into (null: the root). */
export interface NewUpload {
  file: UploadSource;
  folderId: string | null;
}

export interface StartUploadInput {
  name: string;
  sizeBytes: number;
  /** Absent when the browser does not know it: the server stores application/octet-stream. */
  mimeType?: string;
  folderId: string | null;
}

export interface StartedUpload {
  file: ApiFile;
  /** Bytes in every part but the last. */
  partSize: number;
  partCount: number;
}

export interface SignedPart {
  partNumber: number;
  url: string;
  sizeBytes: number;
  /** ISO timestamp. */
  expiresAt: string;
}

export interface StoredPart {
  partNumber: number;
  etag: string;
  sizeBytes: number;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
  durationMs?: number;
}

/** An upload the server still holds open, from `GET /uploads` (resume after a reload). */
export interface OpenUpload extends StartedUpload {
  parts: StoredPart[];
}

/**
 * The API calls the engine makes. Every method rejects with an `ApiError` for an HTTP error answer
 * (anything else it throws counts as a network failure). A 401 is the implementation's to handle
 * (refresh once, repeat the call); the engine only sees one when the session is really over.
 */
export interface UploadApi {
  /** POST /files/uploads */
  startUpload(input: StartUploadInput): Promise<StartedUpload>;
  /** POST /files/:id/parts */
  signParts(fileId: string, partNumbers: number[]): Promise<SignedPart[]>;
  /** GET /files/:id/parts */
  listParts(fileId: string): Promise<StoredPart[]>;
  /** POST /files/:id/heartbeat */
  heartbeat(fileId: string): Promise<void>;
  /** POST /files/:id/complete; resolves with the file (status processing, or already past it). */
  complete(fileId: string, parts: CompletedPart[]): Promise<ApiFile>;
  /** DELETE /files/:id/upload */
  abort(fileId: string): Promise<void>;
}

/** Storage's answer to a part PUT; `etag` is the ETag response header (null when unreadable). */
export interface PutResult {
  status: number;
  etag: string | null;
}

/**
 * Sends one part to its presigned URL. Resolves with whatever HTTP status storage answered;
 * rejects on a network failure, and promptly once `signal` aborts.
 */
export interface Transport {
  put(url: string, body: Blob, onProgress: (loadedBytes: number) => void, signal: AbortSignal): Promise<PutResult>;
}

export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The part of the Web Storage interface the engine uses (localStorage in the app). */
export interface HintStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * waiting_for_file: open on the server (found after a reload), the user has to pick the file again.
 * queued → initiating → uploading ⇄ paused → completing → processing → ready | quarantined | rejected | failed;
 * refused: the server said no at initiation; error: gave up after retries (retry() starts again);
 * cancelled: the user cancelled, the server upload is aborted.
 */
export type UploadState =
  | "waiting_for_file"
  | "queued"
  | "initiating"
  | "uploading"
  | "paused"
  | "completing"
  | "processing"
  | "ready"
  | "quarantined"
  | "rejected"
  | "failed"
  | "refused"
  | "error"
  | "cancelled";

/** The outcomes of the scan that `markFinished` records. */
export type FinishedState = "ready" | "quarantined" | "rejected" | "failed";

/** One row of the upload panel. Immutable: a change makes a new row object. */
export interface UploadRow {
  /** The engine's id for this row (not the file id). */
  readonly id: string;
  /** The server's file id once the upload is open. */
  readonly fileId: string | null;
  readonly name: string;
  readonly sizeBytes: number;
  readonly mimeType: string;
  readonly folderId: string | null;
  readonly state: UploadState;
  /** Bytes stored plus bytes of parts in flight; drops back when a part fails. */
  readonly sentBytes: number;
  readonly partCount: number | null;
  readonly partsDone: number;
  readonly bytesPerSecond: number;
  /** Null until there are 2 seconds of data, or while nothing moves. */
  readonly secondsLeft: number | null;
  /** What the server or the engine has to say: why refused, why in error, what it waits for. */
  readonly message: string | null;
  /** The server's error code for refused and error rows (quota_exceeded, file_too_large, …). */
  readonly errorCode: string | null;
  /** Clock time at which a waiting initiation (429) is tried again. */
  readonly retryAt: number | null;
  /** False for a row restored after a reload until the user picks the file again. */
  readonly hasFile: boolean;
}

export interface UploadTotals {
  /** Rows that reached processing or a scan outcome. */
  readonly filesDone: number;
  /** Every row but cancelled and refused ones. */
  readonly filesTotal: number;
  readonly bytesSent: number;
  readonly bytesTotal: number;
  readonly bytesPerSecond: number;
  readonly secondsLeft: number | null;
  /** Rows queued, initiating, uploading or completing. */
  readonly filesActive: number;
  readonly filesPaused: number;
  /** Rows in error or refused. */
  readonly filesFailed: number;
}

export interface UploadSnapshot {
  readonly rows: readonly UploadRow[];
  readonly totals: UploadTotals;
  readonly online: boolean;
}

/** Why a picked file cannot resume an open upload. */
export interface ResumeRefusal {
  ok: false;
  reason: "name_mismatch" | "size_mismatch" | "modified";
  message: string;
}

export type ResumeResult = { ok: true; id: string } | ResumeRefusal;

export interface UploadEngine {
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** The same object until something changes (for useSyncExternalStore). */
  getSnapshot(): UploadSnapshot;
  /** Queues files; cheap for thousands (work starts lazily, 3 files at a time). Returns row ids. */
  add(files: readonly NewUpload[]): string[];
  pause(id: string): void;
  resume(id: string): void;
  cancel(id: string): void;
  pauseAll(): void;
  resumeAll(): void;
  cancelAll(): void;
  /** Starts an `error` row again; the server decides which parts it already holds. */
  retry(id: string): void;
  /** Lists open uploads from `GET /uploads` as waiting_for_file rows (known ones are skipped). */
  restoreOpenUploads(uploads: readonly OpenUpload[]): void;
  /** The user picked `file` for an open upload: checks it is the same file, then sends the missing parts. */
  resumeOpenUpload(upload: OpenUpload, file: UploadSource): ResumeResult;
  /** Records the scan outcome of a processing row (the app polls the file's status). */
  markFinished(id: string, status: ApiFile["status"], reason?: string | null): void;
  /** Removes a finished, refused or cancelled row from the list. */
  dismiss(id: string): void;
  /** Removes every finished, refused and cancelled row. */
  clearFinished(): void;
  /** Offline pauses everything in progress; back online resumes what going offline paused. */
  setOnline(online: boolean): void;
  /** Stops timers and in-flight requests without touching the server (page unload, tests). */
  dispose(): void;
}

export interface UploadEngineOptions {
  api: UploadApi;
  transport: Transport;
  /** Defaults to the real clock. */
  clock?: Clock;
  /** In [0, 1); for backoff jitter. Defaults to Math.random. */
  random?: () => number;
  /** Where to keep {name, size, lastModified} per open upload; nothing is kept without it. */
  storage?: HintStorage;
  /** Files initiated or uploading at once; 3. */
  filesInFlight?: number;
  /** Part PUTs in flight per file; 4. */
  partsInFlight?: number;
  /** A PUT with no progress for this long is abandoned and counts as a failed attempt; 60 s. */
  stallTimeoutMs?: number;
  /** Listeners hear about progress at most this often (state changes: at once); 100 ms. */
  progressIntervalMs?: number;
}
