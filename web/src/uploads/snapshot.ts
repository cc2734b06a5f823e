import type { SpeedMeter } from "./speed";
import type { UploadRow, UploadTotals } from "./types";
import { isActive, isUploaded, type Upload } from "./upload";

/** The row of an upload, rebuilt only when the upload changed since the last one. */
export function rowOf(upload: Upload, now: number): UploadRow {
  if (upload.row && upload.rowRev === upload.rev) return upload.row;
  const sentBytes = sentBytesOf(upload);
  const moving = upload.state === "uploading";
  const row: UploadRow = {
    id: upload.id,
    fileId: upload.fileId,
    name: upload.name,
    sizeBytes: upload.sizeBytes,
    mimeType: upload.mimeType,
    folderId: upload.folderId,
    state: upload.state,
    sentBytes,
    partCount: upload.parts?.length ?? null,
    partsDone: upload.parts?.reduce((done, part) => done + (part.etag ? 1 : 0), 0) ?? 0,
    bytesPerSecond: moving ? upload.speed.bytesPerSecond(now) : 0,
    secondsLeft: moving ? upload.speed.secondsLeft(now, upload.sizeBytes - sentBytes) : null,
    message: upload.message,
    errorCode: upload.errorCode,
    retryAt: upload.retryAt,
    hasFile: upload.source !== null,
  };
  upload.row = row;
  upload.rowRev = upload.rev;
  return row;
}

/** The panel's header: files and bytes done of the total, speed and time left of what is in progress. */
export function totalsOf(uploads: readonly Upload[], speed: SpeedMeter, now: number): UploadTotals {
  let filesDone = 0;
  let filesTotal = 0;
  let bytesSent = 0;
  let bytesTotal = 0;
  let filesActive = 0;
  let filesPaused = 0;
  let filesFailed = 0;
  let activeBytesLeft = 0;
  for (const upload of uploads) {
    const { state } = upload;
    if (state === "cancelled") continue;
    if (state === "refused") {
      filesFailed += 1;
      continue;
    }
    const sent = sentBytesOf(upload);
    filesTotal += 1;
    bytesTotal += upload.sizeBytes;
    bytesSent += sent;
    if (isUploaded(state)) filesDone += 1;
    else if (isActive(state)) {
      filesActive += 1;
      activeBytesLeft += upload.sizeBytes - sent;
    } else if (state === "paused") filesPaused += 1;
    else if (state === "error") filesFailed += 1;
  }
  return {
    filesDone,
    filesTotal,
    bytesSent,
    bytesTotal,
    filesActive,
    filesPaused,
    filesFailed,
    bytesPerSecond: filesActive > 0 ? speed.bytesPerSecond(now) : 0,
    secondsLeft: filesActive > 0 ? speed.secondsLeft(now, activeBytesLeft) : null,
  };
}

function sentBytesOf(upload: Upload): number {
  if (isUploaded(upload.state)) return upload.sizeBytes;
  return Math.max(0, Math.min(upload.sizeBytes, upload.sentBytes));
}
