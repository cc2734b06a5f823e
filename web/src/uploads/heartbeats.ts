import { isUploadClosed } from "./api-error";
import type { Clock, UploadApi } from "./types";
import type { Upload } from "./upload";

/** An upload with no heartbeat for UPLOAD_STALE_MINUTES (15) is aborted by the server's housekeeping. */
export const HEARTBEAT_INTERVAL_MS = 60_000;

export interface Heartbeats {
  /** Beats every minute for as long as `upload.plan` stays the one open now. */
  start(upload: Upload): void;
  stop(upload: Upload): void;
  /** No more beats for anyone (the engine is disposed). */
  close(): void;
}

/** One timer per open upload; a beat that fails for the network is simply tried a minute later. */
export function createHeartbeats(api: UploadApi, clock: Clock, onClosed: (upload: Upload) => void): Heartbeats {
  const beating = new Set<Upload>();
  let closed = false;
  const stop = (upload: Upload) => {
    if (upload.heartbeat !== null) clock.clearTimeout(upload.heartbeat);
    upload.heartbeat = null;
    beating.delete(upload);
  };
  const start = (upload: Upload) => {
    stop(upload);
    const plan = upload.plan;
    if (!plan || closed) return;
    beating.add(upload);
    upload.heartbeat = clock.setTimeout(() => {
      upload.heartbeat = null;
      void Promise.resolve()
        .then(() => api.heartbeat(plan.fileId))
        .then(
          () => {
            if (upload.plan === plan) start(upload);
          },
          (error: unknown) => {
            if (upload.plan !== plan) return;
            if (isUploadClosed(error)) onClosed(upload);
            else start(upload);
          },
        );
    }, HEARTBEAT_INTERVAL_MS);
  };
  const close = () => {
    closed = true;
    for (const upload of [...beating]) stop(upload);
  };
  return { start, stop, close };
}
