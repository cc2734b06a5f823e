import type { PartSigner } from "./part-signer";
import { Aborted, MAX_ATTEMPTS, backoffMs, sleep } from "./retry";
import type { Clock, Transport } from "./types";
import { partBytes, type PartProgress } from "./upload";

/** A 403 is an expired URL at most this many times in a row; then it counts as a failure. */
const MAX_FREE_RESIGNS = 3;

/** A part could not be stored: after MAX_ATTEMPTS failures, or at once when retrying cannot help. */
export class PartFailed extends Error {
  override readonly name = "PartFailed";
}

export interface PartSendOptions {
  transport: Transport;
  clock: Clock;
  random: () => number;
  stallTimeoutMs: number;
  /** Bytes of this part in flight went up (sent) or down (the PUT failed or was aborted). */
  onProgress(deltaBytes: number): void;
}

type PutOutcome = { kind: "stored" } | { kind: "expired" | "failed"; reason: string };

/**
 * PUTs exactly the part's bytes to its signed URL until storage holds them: up to MAX_ATTEMPTS
 * with backoff; a 403 (URL expired) is signed again without counting an attempt. Throws
 * `Aborted` when `signal` aborts and `PartFailed` when it gives up; sets `part.etag` on success.
 */
export async function sendPart(
  options: PartSendOptions,
  source: Blob,
  part: PartProgress,
  signer: PartSigner,
  upcoming: () => number[],
  signal: AbortSignal,
): Promise<void> {
  let failures = 0;
  let resigns = 0;
  for (;;) {
    const url = await signer.urlFor(part.partNumber, upcoming);
    if (signal.aborted) throw new Aborted();
    const startedAt = options.clock.now();
    const outcome = await putOnce(options, url, source, part, signal);
    if (outcome.kind === "stored") {
      part.durationMs = options.clock.now() - startedAt;
      return;
    }
    if (signal.aborted) throw new Aborted();
    if (outcome.kind === "expired" && resigns < MAX_FREE_RESIGNS) {
      resigns += 1;
      signer.invalidate(part.partNumber);
      continue;
    }
    failures += 1;
    if (failures >= MAX_ATTEMPTS) {
      throw new PartFailed(
        `Part ${part.partNumber} could not be sent after ${MAX_ATTEMPTS} attempts (${outcome.reason}).`,
      );
    }
    if (!(await sleep(options.clock, backoffMs(failures, options.random), signal))) throw new Aborted();
  }
}

async function putOnce(
  options: PartSendOptions,
  url: string,
  source: Blob,
  part: PartProgress,
  signal: AbortSignal,
): Promise<PutOutcome> {
  const { clock, transport, stallTimeoutMs } = options;
  const size = partBytes(part);
  const setLoaded = (loaded: number) => {
    const next = Math.max(0, Math.min(size, loaded));
    const delta = next - part.loaded;
    part.loaded = next;
    if (delta !== 0) options.onProgress(delta);
  };

  const put = new AbortController();
  const abortPut = () => put.abort();
  signal.addEventListener("abort", abortPut, { once: true });
  let stalled = false;
  const onStall = () => {
    stalled = true;
    put.abort();
  };
  let stallTimer = clock.setTimeout(onStall, stallTimeoutMs);
  const onProgress = (loaded: number) => {
    if (put.signal.aborted) return;
    clock.clearTimeout(stallTimer);
    stallTimer = clock.setTimeout(onStall, stallTimeoutMs);
    setLoaded(loaded);
  };

  try {
    // slice() without a content type: the PUT carries no Content-Type (the URL signs the length only).
    const result = await transport.put(url, source.slice(part.start, part.end), onProgress, put.signal);
    if (result.status >= 200 && result.status < 300) {
      if (!result.etag) {
        setLoaded(0);
        throw new PartFailed(
          "Storage's answer has no readable ETag header (the bucket's CORS rules must expose ETag).",
        );
      }
      setLoaded(size);
      part.etag = result.etag;
      return { kind: "stored" };
    }
    setLoaded(0);
    return { kind: result.status === 403 ? "expired" : "failed", reason: `storage answered ${result.status}` };
  } catch (error) {
    if (error instanceof PartFailed) throw error;
    setLoaded(0);
    if (signal.aborted) throw new Aborted();
    return {
      kind: "failed",
      reason: stalled ? `no progress for ${Math.round(stallTimeoutMs / 1000)} s` : "network error",
    };
  } finally {
    clock.clearTimeout(stallTimer);
    signal.removeEventListener("abort", abortPut);
  }
}
