import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { Context, log } from "@temporalio/activity";
import { File } from "../db/models";
import { recordUploadEvent } from "../db/commands/record";
import { ClamdSizeLimitError } from "../lib/clamd";
import type { ActivityDeps } from "./deps";

/** What one streaming pass over a file found. */
export type ScanVerdict =
  | { outcome: "clean"; sha256: string }
  | { outcome: "infected"; signature: string; sha256: string | null }
  | { outcome: "too_large"; reason: string }
  /** The file was deleted, or is no longer processing (an earlier run settled it). */
  | { outcome: "settled" };

/** S3 sent no byte for S3_READ_TIMEOUT_MS: the attempt fails and is retried on a new connection. */
export class S3ReadStalledError extends Error {
  override name = "S3ReadStalledError";
}

/** Yields the body's chunks, failing with S3ReadStalledError when the next one takes longer than `ms`. */
async function* readWithin(body: AsyncIterable<Buffer>, ms: number): AsyncGenerator<Buffer> {
  const chunks = body[Symbol.asyncIterator]();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const stalled = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new S3ReadStalledError(`no bytes from S3 for ${ms} ms`)), ms);
    });
    const next = await Promise.race([chunks.next(), stalled]).finally(() => clearTimeout(timer));
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Streams the object from S3 through SHA-256 and clamd's INSTREAM in one pass: no temp file, memory
 * flat whatever the size. It heartbeats (at most once a second) only while bytes reach clamd, or
 * while clamd, holding the whole stream, owes its verdict (bounded by CLAMAV_TIMEOUT_MS): a stalled
 * scan falls silent and Temporal retries it after SCAN_HEARTBEAT_TIMEOUT_MS, and a stalled S3 read
 * fails the attempt itself after S3_READ_TIMEOUT_MS. An unreachable scanner throws, so Temporal
 * retries with backoff until it is back.
 */
export function scanFileActivity(deps: ActivityDeps) {
  return async function scanFile(fileId: string): Promise<ScanVerdict> {
    const file = await File.query(deps.db).findById(fileId);
    if (!file || file.status !== "processing") return { outcome: "settled" };
    const limit = deps.config.CLAMAV_MAX_BYTES;
    if (file.sizeBytes > limit)
      return { outcome: "too_large", reason: `larger than the scanner's ${limit}-byte limit` };

    const context = Context.current();
    const readTimeoutMs = deps.config.S3_READ_TIMEOUT_MS;
    const started = process.hrtime.bigint();
    const hash = createHash("sha256");
    // Bytes clamd was sent, counted once written: a chunk read but never sent is not scanned.
    let scannedBytes = 0;
    let awaitingVerdict = false;
    let reported = 0;
    const beat = setInterval(() => {
      if (scannedBytes === reported && !awaitingVerdict) return;
      reported = scannedBytes;
      context.heartbeat({ scannedBytes });
    }, 1000);
    const stall = new AbortController();
    const firstByte = setTimeout(
      () => stall.abort(new S3ReadStalledError(`S3 did not answer within ${readTimeoutMs} ms`)),
      readTimeoutMs,
    );
    let body: Readable | undefined;
    try {
      ({ body } = await deps.storage
        .getObject(file.s3Key, AbortSignal.any([context.cancellationSignal, stall.signal]))
        .catch((error: unknown) => {
          throw stall.signal.aborted ? stall.signal.reason : error;
        })
        .finally(() => clearTimeout(firstByte)));
      const source = body;
      async function* hashed() {
        for await (const chunk of readWithin(source, readTimeoutMs)) {
          hash.update(chunk);
          yield chunk;
        }
        awaitingVerdict = true;
      }
      const result = await deps.clamd.scan(hashed(), (bytes) => (scannedBytes += bytes));
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.clamavScanSeconds.observe({ outcome: result.outcome }, seconds);
      const complete = scannedBytes === file.sizeBytes;
      log.info("scan finished", { fileId, outcome: result.outcome, scannedBytes, seconds });
      if (result.outcome === "infected") {
        return { outcome: "infected", signature: result.signature, sha256: complete ? hash.digest("hex") : null };
      }
      if (!complete) throw new Error(`scanned ${scannedBytes} of ${file.sizeBytes} bytes`);
      return { outcome: "clean", sha256: hash.digest("hex") };
    } catch (error) {
      if (error instanceof ClamdSizeLimitError) {
        log.warn("file too large for the scanner", { fileId, reason: error.message, scannedBytes });
        return { outcome: "too_large", reason: error.message };
      }
      if (context.info.attempt === 1) {
        await recordUploadEvent(deps.db, {
          fileId,
          userId: file.ownerId,
          type: "scan_error",
          mimeType: file.mimeType,
          bytes: file.sizeBytes,
          reason: error instanceof Error ? error.name : "unknown",
        }).catch(() => undefined);
      }
      log.warn("scan failed, will retry", { fileId, attempt: context.info.attempt, error: String(error) });
      throw error;
    } finally {
      clearInterval(beat);
      // When clamd cannot be reached the body was never read, and a stalled one never ended: free its S3 connection.
      body?.destroy();
    }
  };
}
