import { asApiError, isUploadClosed } from "./api-error";
import { createPartSigner } from "./part-signer";
import { PartFailed, sendPart } from "./part-sender";
import { Aborted, callWithRetry } from "./retry";
import type { ApiFile, Clock, StartedUpload, Transport, UploadApi, UploadState } from "./types";
import { countSentBytes, partBytes, type PartProgress, type Upload } from "./upload";

/** How many upcoming parts are signed along with the one a PUT waits for. */
const SIGN_AHEAD = 8;

/** What a run needs from the engine. */
export interface RunContext {
  api: UploadApi;
  transport: Transport;
  clock: Clock;
  random: () => number;
  partsInFlight: number;
  stallTimeoutMs: number;
  /** The row changed: listeners hear at once. */
  changed(upload: Upload): void;
  /** Bytes in flight moved: listeners hear soon. */
  progressed(upload: Upload, deltaBytes: number): void;
  /** The server opened the upload: lay out the parts, keep the hint, heartbeat it. */
  opened(upload: Upload, started: StartedUpload): void;
  /** The upload completed: stop heartbeats, drop the plan and the hint. */
  close(upload: Upload): void;
  /** The server no longer holds it open: close it and drop its parts too (a retry starts afresh). */
  forget(upload: Upload): void;
  /** Aborts the server's upload (frees the reservation); errors are the housekeeping's to mop up. */
  abortOnServer(fileId: string): void;
}

/** The server refused to start the upload (quota, size, type, name …): retrying will not help. */
class Refused extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const setState = (ctx: RunContext, upload: Upload, state: UploadState) => {
  upload.state = state;
  ctx.changed(upload);
};

/**
 * Takes one upload as far as it goes: initiate (unless open), ask the server which parts it holds
 * (after a retry or a reload), send the missing parts, complete. Ends in processing, refused or
 * error; returns quietly when `signal` aborts (pause, cancel: the caller has set the state). Never rejects.
 */
export async function runUpload(ctx: RunContext, upload: Upload, signal: AbortSignal): Promise<void> {
  try {
    if (!upload.plan && !(await initiate(ctx, upload, signal))) return;
    setState(ctx, upload, "uploading");
    if (upload.needsReconcile && !(await reconcile(ctx, upload, signal))) {
      // The server no longer holds that upload (stale, or aborted elsewhere): start it again.
      if (!(await initiate(ctx, upload, signal))) return;
      setState(ctx, upload, "uploading");
    }
    if (signal.aborted) return;
    await sendParts(ctx, upload, signal);
    if (signal.aborted) return;
    await complete(ctx, upload, signal);
  } catch (error) {
    if (error instanceof Aborted || signal.aborted) return;
    fail(ctx, upload, error);
  }
}

async function initiate(ctx: RunContext, upload: Upload, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  setState(ctx, upload, "initiating");
  let started: StartedUpload;
  try {
    const input = { name: upload.name, sizeBytes: upload.sizeBytes, folderId: upload.folderId };
    started = await callWithRetry(
      () => ctx.api.startUpload(upload.mimeType ? { ...input, mimeType: upload.mimeType } : input),
      {
        clock: ctx.clock,
        random: ctx.random,
        signal,
        onWait: (retryAt, rateLimited, message) => {
          if (!rateLimited) return;
          upload.retryAt = retryAt;
          upload.message = message;
          ctx.changed(upload);
        },
      },
    );
  } catch (error) {
    if (error instanceof Aborted || signal.aborted) return false;
    const api = asApiError(error);
    if (api && api.status >= 400 && api.status < 500 && api.status !== 401) throw new Refused(api.message, api.code);
    throw error;
  }
  upload.retryAt = null;
  upload.message = null;
  if (upload.state === "cancelled") {
    ctx.abortOnServer(started.file.id);
    return false;
  }
  ctx.opened(upload, started);
  return !signal.aborted;
}

/** Takes the server's list of stored parts as the truth. False when the upload is no longer open. */
async function reconcile(ctx: RunContext, upload: Upload, signal: AbortSignal): Promise<boolean> {
  const { plan, parts } = upload;
  if (!plan || !parts) return false;
  let stored;
  try {
    stored = await callWithRetry(() => ctx.api.listParts(plan.fileId), {
      clock: ctx.clock,
      random: ctx.random,
      signal,
    });
  } catch (error) {
    if (!isUploadClosed(error)) throw error;
    ctx.forget(upload);
    return false;
  }
  if (signal.aborted) return true;
  const byNumber = new Map(stored.map((part) => [part.partNumber, part]));
  for (const part of parts) {
    const held = byNumber.get(part.partNumber);
    part.etag = held && held.sizeBytes === partBytes(part) ? held.etag : null;
    part.loaded = 0;
  }
  upload.sentBytes = countSentBytes(parts);
  upload.needsReconcile = false;
  ctx.changed(upload);
  return true;
}

/** Sends every part storage does not hold yet, `partsInFlight` at a time. */
async function sendParts(ctx: RunContext, upload: Upload, signal: AbortSignal): Promise<void> {
  const { plan, parts, source } = upload;
  if (!plan || !parts || !source) throw new Error("The upload has no open plan or no file.");
  // One failing part stops its siblings: their PUTs abort and the file goes to error.
  const siblings = new AbortController();
  const stopSiblings = () => siblings.abort();
  signal.addEventListener("abort", stopSiblings, { once: true });

  const signer = createPartSigner(
    (partNumbers) =>
      callWithRetry(() => ctx.api.signParts(plan.fileId, partNumbers), {
        clock: ctx.clock,
        random: ctx.random,
        signal: siblings.signal,
      }),
    ctx.clock,
  );
  let cursor = 0;
  const nextPart = (): PartProgress | null => {
    while (cursor < parts.length && parts[cursor].etag) cursor += 1;
    return cursor < parts.length ? parts[cursor++] : null;
  };
  const upcoming = () => {
    const numbers: number[] = [];
    for (let i = cursor; i < parts.length && numbers.length < SIGN_AHEAD; i += 1)
      if (!parts[i].etag) numbers.push(parts[i].partNumber);
    return numbers;
  };
  const options = {
    transport: ctx.transport,
    clock: ctx.clock,
    random: ctx.random,
    stallTimeoutMs: ctx.stallTimeoutMs,
    // After a cancel the parts belong to nobody: their bytes no longer count.
    onProgress: (delta: number) => {
      if (upload.parts === parts) ctx.progressed(upload, delta);
    },
  };

  let failure: unknown = null;
  const worker = async () => {
    for (let part = nextPart(); part && !siblings.signal.aborted; part = nextPart()) {
      try {
        await sendPart(options, source, part, signer, upcoming, siblings.signal);
        ctx.changed(upload);
      } catch (error) {
        if (!siblings.signal.aborted) {
          failure = error;
          siblings.abort();
        }
        return;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(ctx.partsInFlight, parts.length) }, worker));
  } finally {
    signal.removeEventListener("abort", stopSiblings);
  }
  if (failure) throw failure;
}

async function complete(ctx: RunContext, upload: Upload, signal: AbortSignal): Promise<void> {
  const { plan, parts } = upload;
  if (!plan || !parts) return;
  setState(ctx, upload, "completing");
  const completed = parts.map((part) => ({
    partNumber: part.partNumber,
    etag: part.etag ?? "",
    durationMs: part.durationMs,
  }));
  const file: ApiFile = await callWithRetry(() => ctx.api.complete(plan.fileId, completed), {
    clock: ctx.clock,
    random: ctx.random,
    signal,
  });
  ctx.close(upload);
  upload.fileId = file.id;
  upload.sentBytes = upload.sizeBytes;
  upload.message = file.statusReason;
  setState(ctx, upload, file.status === "uploading" ? "processing" : file.status);
}

function fail(ctx: RunContext, upload: Upload, error: unknown): void {
  const api = asApiError(error);
  upload.retryAt = null;
  if (error instanceof Refused) {
    upload.message = error.message;
    upload.errorCode = error.code;
    setState(ctx, upload, "refused");
    return;
  }
  if (isUploadClosed(error)) {
    ctx.forget(upload);
    upload.message = "The server no longer holds this upload open; retry starts it again.";
  } else if (api) {
    upload.message = api.message;
  } else if (error instanceof PartFailed) {
    upload.message = error.message;
  } else {
    upload.message = "The server could not be reached; check the connection and retry.";
  }
  upload.errorCode = api?.code ?? null;
  setState(ctx, upload, "error");
}
