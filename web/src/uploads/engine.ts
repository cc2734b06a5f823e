import { systemClock } from "./clock";
import { checkSameFile, createFileHints } from "./file-hints";
import { runUpload, type RunContext } from "./file-run";
import { createHeartbeats } from "./heartbeats";
import { callWithRetry } from "./retry";
import { rowOf, totalsOf } from "./snapshot";
import { SpeedMeter } from "./speed";
import type { OpenUpload, TimerHandle, UploadEngine, UploadEngineOptions, UploadSnapshot, UploadState } from "./types";
import { countSentBytes, isDismissable, isUploaded, layoutParts, newUpload, type Upload } from "./upload";

/** While anything uploads, speed and time left are refreshed this often even when no bytes move. */
const TICK_MS = 1000;
const FINISHED: readonly UploadState[] = ["ready", "quarantined", "rejected", "failed"];
const CANCELLABLE: readonly UploadState[] = [
  "waiting_for_file",
  "queued",
  "initiating",
  "uploading",
  "paused",
  "error",
];

/**
 * The browser's upload engine: a queue of files, 3 in flight, each sending 4 parts at a time
 * straight to storage. Plain TypeScript with a subscribe / getSnapshot surface for React's
 * useSyncExternalStore. See docs/web.md "The upload engine" for states and retry rules.
 */
export function createUploadEngine(options: UploadEngineOptions): UploadEngine {
  const { api, transport } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? (() => Math.random());
  const filesInFlight = options.filesInFlight ?? 3;
  const progressIntervalMs = options.progressIntervalMs ?? 100;
  const hints = createFileHints(options.storage);
  const lifetime = new AbortController();

  const uploads: Upload[] = [];
  const byId = new Map<string, Upload>();
  const queue: Upload[] = [];
  const running = new Set<Upload>();
  const listeners = new Set<() => void>();
  const speed = new SpeedMeter();
  let online = true;
  let lastId = 0;
  let rev = 0;
  let snapshot: UploadSnapshot | null = null;
  let snapshotRev = -1;
  let notifyTimer: TimerHandle | null = null;
  let tickTimer: TimerHandle | null = null;

  const notify = () => {
    if (notifyTimer !== null) clock.clearTimeout(notifyTimer);
    notifyTimer = null;
    for (const listener of [...listeners]) listener();
  };
  const touch = (upload?: Upload) => {
    if (upload) upload.rev += 1;
    rev += 1;
  };
  const changed = (upload?: Upload) => {
    touch(upload);
    notify();
  };

  const heartbeats = createHeartbeats(api, clock, (upload) => {
    // The server closed it (stale, or cancelled elsewhere); complete's own answer decides a completing one.
    if (upload.state === "completing" || upload.state === "cancelled" || isUploaded(upload.state)) return;
    forget(upload);
    upload.controller?.abort();
    upload.state = "error";
    upload.errorCode = "upload_closed";
    upload.message = upload.source
      ? "The server closed this upload; retry starts it again."
      : "The server closed this upload.";
    changed(upload);
  });

  /** Uploads this engine saw closed: a listing of open uploads read before that is stale for them. */
  const closedFileIds = new Set<string>();
  const close = (upload: Upload) => {
    heartbeats.stop(upload);
    if (upload.plan) {
      hints.remove(upload.plan.fileId);
      closedFileIds.add(upload.plan.fileId);
    }
    upload.plan = null;
  };
  const forget = (upload: Upload) => {
    close(upload);
    upload.parts = null;
    upload.fileId = null;
    upload.sentBytes = 0;
    upload.needsReconcile = false;
  };

  const abortOnServer = (fileId: string) => {
    const abort = () => api.abort(fileId);
    void callWithRetry(abort, { clock, random, signal: lifetime.signal }).catch(() => undefined);
  };

  const ctx: RunContext = {
    api,
    transport,
    clock,
    random,
    partsInFlight: options.partsInFlight ?? 4,
    stallTimeoutMs: options.stallTimeoutMs ?? 60_000,
    changed,
    progressed(upload, delta) {
      upload.sentBytes += delta;
      if (delta > 0) {
        upload.speed.record(clock.now(), delta);
        speed.record(clock.now(), delta);
      }
      touch(upload);
      notifyTimer ??= clock.setTimeout(notify, progressIntervalMs);
    },
    opened(upload, started) {
      upload.plan = { fileId: started.file.id, partSize: started.partSize, partCount: started.partCount };
      upload.fileId = started.file.id;
      upload.parts = layoutParts(upload.sizeBytes, started.partSize, started.partCount);
      upload.sentBytes = 0;
      const source = upload.source;
      if (source)
        hints.save(started.file.id, { name: source.name, sizeBytes: source.size, lastModified: source.lastModified });
      heartbeats.start(upload);
      changed(upload);
    },
    close,
    forget,
    abortOnServer,
  };

  const enqueue = (upload: Upload, first = false) => {
    if (upload.inQueue) return;
    upload.inQueue = true;
    if (first) queue.unshift(upload);
    else queue.push(upload);
  };

  const pump = () => {
    if (lifetime.signal.aborted || !online) return;
    while (running.size < filesInFlight) {
      const upload = queue.shift();
      if (!upload) return;
      upload.inQueue = false;
      // One still unwinding from a pause is queued again when its run ends.
      if (upload.state === "queued" && !running.has(upload)) start(upload);
    }
  };

  const start = (upload: Upload) => {
    const controller = new AbortController();
    upload.controller = controller;
    running.add(upload);
    tickTimer ??= clock.setTimeout(tick, TICK_MS);
    void runUpload(ctx, upload, controller.signal).then(() => {
      running.delete(upload);
      if (upload.controller === controller) upload.controller = null;
      if (upload.state === "queued") enqueue(upload, true);
      pump();
      changed();
    });
  };

  const tick = () => {
    tickTimer = null;
    if (running.size === 0 || lifetime.signal.aborted) return;
    for (const upload of running) if (upload.state === "uploading") touch(upload);
    changed();
    tickTimer = clock.setTimeout(tick, TICK_MS);
  };

  const pauseOne = (upload: Upload, offline: boolean): boolean => {
    if (upload.state !== "queued" && upload.state !== "initiating" && upload.state !== "uploading") return false;
    upload.state = "paused";
    upload.pausedByOffline = offline;
    upload.message = offline ? "Waiting for the network." : null;
    upload.retryAt = null;
    upload.controller?.abort();
    touch(upload);
    return true;
  };

  const resumeOne = (upload: Upload, first: boolean): boolean => {
    if (upload.state !== "paused") return false;
    upload.state = "queued";
    upload.pausedByOffline = false;
    upload.message = null;
    enqueue(upload, first);
    touch(upload);
    return true;
  };

  const cancelOne = (upload: Upload): boolean => {
    if (!CANCELLABLE.includes(upload.state)) return false;
    upload.state = "cancelled";
    upload.message = null;
    upload.retryAt = null;
    upload.controller?.abort();
    // Still initiating: the run aborts the upload on the server once it knows the file id.
    const fileId = upload.plan?.fileId;
    forget(upload);
    if (fileId) abortOnServer(fileId);
    touch(upload);
    return true;
  };

  const findByFileId = (fileId: string) => uploads.find((upload) => upload.plan?.fileId === fileId);

  const restore = (open: OpenUpload): Upload => {
    const upload = newUpload(`u${++lastId}`, null, open.file.folderId);
    upload.name = open.file.name;
    upload.sizeBytes = open.file.sizeBytes;
    upload.mimeType = open.file.mimeType;
    upload.state = "waiting_for_file";
    upload.plan = { fileId: open.file.id, partSize: open.partSize, partCount: open.partCount };
    upload.fileId = open.file.id;
    upload.parts = layoutParts(open.file.sizeBytes, open.partSize, open.partCount);
    const stored = new Map(open.parts.map((part) => [part.partNumber, part.etag]));
    for (const part of upload.parts) part.etag = stored.get(part.partNumber) ?? null;
    upload.sentBytes = countSentBytes(upload.parts);
    upload.needsReconcile = true;
    uploads.push(upload);
    byId.set(upload.id, upload);
    heartbeats.start(upload);
    return upload;
  };

  const remove = (drop: (upload: Upload) => boolean) => {
    const kept = uploads.filter((upload) => !drop(upload) || !byId.delete(upload.id));
    if (kept.length === uploads.length) return;
    uploads.splice(0, uploads.length, ...kept);
    changed();
  };
  const removable = (upload: Upload) => isDismissable(upload.state) || (upload.state === "error" && !upload.plan);

  const withUpload = (id: string, action: (upload: Upload) => boolean) => {
    const upload = byId.get(id);
    if (upload && action(upload)) {
      notify();
      pump();
    }
  };
  const forAll = (action: (upload: Upload) => boolean) => {
    let any = false;
    for (const upload of uploads) any = action(upload) || any;
    if (any) {
      notify();
      pump();
    }
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    getSnapshot() {
      if (snapshot && snapshotRev === rev) return snapshot;
      const now = clock.now();
      snapshot = { rows: uploads.map((upload) => rowOf(upload, now)), totals: totalsOf(uploads, speed, now), online };
      snapshotRev = rev;
      return snapshot;
    },

    add(files) {
      const ids = files.map(({ file, folderId }) => {
        const upload = newUpload(`u${++lastId}`, file, folderId);
        uploads.push(upload);
        byId.set(upload.id, upload);
        enqueue(upload);
        return upload.id;
      });
      touch();
      pump();
      notify();
      return ids;
    },

    pause: (id) => withUpload(id, (upload) => pauseOne(upload, false)),
    resume: (id) => withUpload(id, (upload) => resumeOne(upload, true)),
    cancel: (id) => withUpload(id, cancelOne),
    pauseAll: () => forAll((upload) => pauseOne(upload, false)),
    resumeAll: () => forAll((upload) => resumeOne(upload, false)),
    cancelAll: () => forAll(cancelOne),

    retry: (id) =>
      withUpload(id, (upload) => {
        if (upload.state !== "error" || !upload.source) return false;
        upload.state = "queued";
        upload.message = null;
        upload.errorCode = null;
        upload.needsReconcile = upload.plan !== null;
        enqueue(upload, true);
        touch(upload);
        return true;
      }),

    restoreOpenUploads(openUploads) {
      const fresh = openUploads.filter((open) => !findByFileId(open.file.id) && !closedFileIds.has(open.file.id));
      for (const open of fresh) restore(open);
      if (fresh.length > 0) changed();
    },

    resumeOpenUpload(open, file) {
      const refusal = checkSameFile(open, file, hints.load(open.file.id));
      if (refusal) return refusal;
      const upload = findByFileId(open.file.id) ?? restore(open);
      if (upload.state !== "waiting_for_file") return { ok: true, id: upload.id };
      upload.source = file;
      upload.state = "queued";
      upload.needsReconcile = true;
      hints.save(open.file.id, { name: file.name, sizeBytes: file.size, lastModified: file.lastModified });
      enqueue(upload, true);
      touch(upload);
      pump();
      notify();
      return { ok: true, id: upload.id };
    },

    markFinished: (id, status, reason = null) =>
      withUpload(id, (upload) => {
        if (!isUploaded(upload.state) || !FINISHED.includes(status)) return false;
        upload.state = status;
        upload.message = reason;
        touch(upload);
        return true;
      }),

    dismiss: (id) => remove((upload) => upload.id === id && removable(upload)),
    clearFinished: () => remove(removable),

    setOnline(value) {
      if (value === online) return;
      online = value;
      for (const upload of uploads) {
        if (!value) pauseOne(upload, true);
        else if (upload.pausedByOffline) resumeOne(upload, false);
      }
      changed();
      pump();
    },

    dispose() {
      lifetime.abort();
      heartbeats.close();
      for (const upload of running) upload.controller?.abort();
      if (notifyTimer !== null) clock.clearTimeout(notifyTimer);
      if (tickTimer !== null) clock.clearTimeout(tickTimer);
      notifyTimer = tickTimer = null;
      listeners.clear();
    },
  };
}
