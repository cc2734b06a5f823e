import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { Context, log } from "@temporalio/activity";
import { ApplicationFailure } from "@temporalio/common";
import { findFile } from "../db/commands/files/find";
import { recordUploadEvent } from "../db/commands/record";
import { recordScanFindings } from "../db/commands/files/lifecycle";
import { ClamdSizeLimitError } from "../lib/clamd";
import { isMissing } from "../lib/s3";
import { OBJECT_MISSING } from "../lib/scan-failure";
import { DETECTION_SAMPLE_BYTES, detectMimeType } from "../lib/type-detection";
import { typeAllowed } from "../lib/type-policy";
import { type ScanWindows, scanInWindows } from "../lib/windowed-scan";
import type { ActivityDeps } from "./deps";

/** What one streaming pass over a file found. */
export type ScanVerdict =
  | { outcome: "clean"; sha256: string; detectedMimeType?: string }
  /** Clean, but the bytes are of a type the policy refuses (UPLOAD_ALLOWED_TYPES / UPLOAD_BLOCKED_TYPES). */
  | { outcome: "type_not_allowed"; reason: string; detectedMimeType: string }
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
 * flat whatever the size. A file past CLAMAV_MAX_BYTES with LARGE_FILE_SCAN=windowed goes to clamd in
 * overlapping windows of CLAMAV_MAX_BYTES, one INSTREAM session each, in that same pass (lib/windowed-scan);
 * where it waits for a window's verdict, the read goes on afterwards with a ranged GET from where it stopped. It heartbeats (at most once a second) only while bytes reach clamd, or
 * while clamd, holding the whole stream, owes its verdict (bounded by CLAMAV_TIMEOUT_MS + CLAMAV_VERDICT_MS_PER_MIB per MiB): a stalled
 * scan falls silent and Temporal retries it after SCAN_HEARTBEAT_TIMEOUT_MS, and a stalled S3 read
 * fails the attempt itself after S3_READ_TIMEOUT_MS. An unreachable scanner throws, so Temporal
 * retries with backoff until it is back.
 */
export function scanFileActivity(deps: ActivityDeps) {
  return async function scanFile(fileId: string): Promise<ScanVerdict> {
    const file = await findFile(deps.db, fileId);
    if (!file || file.status !== "processing") return { outcome: "settled" };
    const limit = deps.config.CLAMAV_MAX_BYTES;
    // Past the scanner's limit: rejected, or (LARGE_FILE_SCAN=windowed) scanned in overlapping windows.
    const windowed = file.sizeBytes > limit && deps.config.LARGE_FILE_SCAN === "windowed";
    if (file.sizeBytes > limit && !windowed)
      return { outcome: "too_large", reason: `larger than the scanner's ${limit}-byte limit` };
    const windows: ScanWindows | null = windowed
      ? { windowBytes: limit, overlapBytes: deps.config.LARGE_FILE_SCAN_OVERLAP_BYTES }
      : null;

    const context = Context.current();
    const readTimeoutMs = deps.config.S3_READ_TIMEOUT_MS;
    const started = process.hrtime.bigint();
    const hash = createHash("sha256");
    // The first bytes, for type detection (magic numbers), kept as they stream past: no second read.
    const sample: Buffer[] = [];
    let sampled = 0;
    // Bytes clamd was sent, counted once written: a chunk read but never sent is not scanned.
    let scannedBytes = 0;
    let awaitingVerdict = false;
    let reported = 0;
    // A local activity (a small file scanned inline) has no heartbeat: Temporal refuses one.
    const beat = setInterval(() => {
      if (context.info.isLocal || (scannedBytes === reported && !awaitingVerdict)) return;
      reported = scannedBytes;
      context.heartbeat({ scannedBytes });
    }, 1000);
    /** The object from `from` on; S3 answering nothing for S3_READ_TIMEOUT_MS fails the attempt. */
    const open = async (from: number): Promise<Readable> => {
      const stall = new AbortController();
      const firstByte = setTimeout(
        () => stall.abort(new S3ReadStalledError(`S3 did not answer within ${readTimeoutMs} ms`)),
        readTimeoutMs,
      );
      const signal = AbortSignal.any([context.cancellationSignal, stall.signal]);
      return deps.storage
        .getObject(file.s3Key, signal, from)
        .then((object) => object.body)
        .catch((error: unknown) => {
          throw stall.signal.aborted ? stall.signal.reason : error;
        })
        .finally(() => clearTimeout(firstByte));
    };
    let body: Readable | undefined;
    // Bytes of the object read so far, and whether the read was stopped on purpose (see pause below).
    let offset = 0;
    let paused = false;
    /**
     * A windowed scan that waits for a window's verdict stops reading; S3 does not keep a connection
     * nobody reads (MinIO resets it), so the read lets go of it and goes on with a ranged GET where it
     * stopped: still every byte read once, in one pass.
     */
    const pause = () => {
      paused = true;
      body?.destroy();
    };
    const sizeBytes = file.sizeBytes;
    async function* objectBytes(): AsyncGenerator<Buffer> {
      for (;;) {
        body = await open(offset);
        try {
          for await (const chunk of readWithin(body, readTimeoutMs)) {
            offset += chunk.length;
            yield chunk;
          }
        } catch (error) {
          // A body we let go of ends with a premature close: not a failure.
          if (!paused) throw error;
        }
        if (!paused || offset >= sizeBytes) return;
        paused = false;
      }
    }
    try {
      async function* hashed() {
        for await (const chunk of objectBytes()) {
          hash.update(chunk);
          if (sampled < DETECTION_SAMPLE_BYTES) {
            sample.push(chunk.subarray(0, DETECTION_SAMPLE_BYTES - sampled));
            sampled += sample[sample.length - 1].length;
          }
          yield chunk;
        }
        awaitingVerdict = true;
      }
      const onSent = (bytes: number) => (scannedBytes += bytes);
      const result = windows
        ? await scanInWindows(deps.clamd, hashed(), windows, {
            onSent,
            onWaiting: (waiting) => {
              awaitingVerdict = waiting;
              if (waiting) pause();
            },
          })
        : await deps.clamd.scan(hashed(), onSent);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.clamavScanSeconds.observe({ outcome: result.outcome }, seconds);
      const complete = scannedBytes === file.sizeBytes;
      const sessions = "windows" in result ? result.windows : 1;
      log.info("scan finished", { fileId, outcome: result.outcome, scannedBytes, seconds, sessions });
      if (result.outcome === "infected") {
        return { outcome: "infected", signature: result.signature, sha256: complete ? hash.digest("hex") : null };
      }
      if (!complete) throw new Error(`scanned ${scannedBytes} of ${file.sizeBytes} bytes`);
      const sha256 = hash.digest("hex");
      const detectedMimeType = await detectMimeType(Buffer.concat(sample), file.mimeType);
      await recordScanFindings(deps.db, fileId, {
        detectedMimeType,
        ...(windows
          ? { scanCoverage: "windowed", scanWindowBytes: windows.windowBytes, scanOverlapBytes: windows.overlapBytes }
          : { scanCoverage: "full", scanWindowBytes: null, scanOverlapBytes: null }),
      });
      const policy = { allowed: deps.config.UPLOAD_ALLOWED_TYPES, blocked: deps.config.UPLOAD_BLOCKED_TYPES };
      if (!typeAllowed(policy, detectedMimeType)) {
        log.warn("file type not allowed", { fileId, declared: file.mimeType, detectedMimeType });
        return { outcome: "type_not_allowed", reason: "type_not_allowed", detectedMimeType };
      }
      return { outcome: "clean", sha256, detectedMimeType };
    } catch (error) {
      if (error instanceof ClamdSizeLimitError) {
        log.warn("file too large for the scanner", { fileId, reason: error.message, scannedBytes });
        return { outcome: "too_large", reason: error.message };
      }
      if (isMissing(error)) {
        // Not an outage: no retry brings the object back. The workflow ends the file failed.
        log.warn("object gone: the file cannot be scanned", { fileId, key: file.s3Key });
        throw ApplicationFailure.create({
          type: OBJECT_MISSING,
          message: "object_missing: the stored object is gone",
          nonRetryable: true,
        });
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
