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

/**
 * Streams the object from S3 through SHA-256 and clamd's INSTREAM in one pass: no temp file, memory
 * flat whatever the size, heartbeats while bytes flow. An unreachable scanner throws, so Temporal
 * retries with backoff until it is back.
 */
export function scanFileActivity(deps: ActivityDeps) {
  return async function scanFile(fileId: string): Promise<ScanVerdict> {
    const file = await File.query(deps.db).findById(fileId);
    if (!file || file.status !== "processing") return { outcome: "settled" };
    const limit = deps.config.CLAMAV_MAX_BYTES;
    if (file.sizeBytes > limit) return { outcome: "too_large", reason: `larger than the scanner's ${limit}-byte limit` };

    const context = Context.current();
    const started = process.hrtime.bigint();
    const hash = createHash("sha256");
    let scannedBytes = 0;
    const beat = setInterval(() => context.heartbeat({ scannedBytes }), 1000);
    let body: Readable | undefined;
    try {
      ({ body } = await deps.storage.getObject(file.s3Key, context.cancellationSignal));
      const source = body;
      async function* hashed() {
        for await (const chunk of source as AsyncIterable<Buffer>) {
          hash.update(chunk);
          scannedBytes += chunk.length;
          yield chunk;
        }
      }
      const result = await deps.clamd.scan(hashed());
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
      // When clamd cannot be reached the body was never read: free its S3 connection.
      body?.destroy();
    }
  };
}
