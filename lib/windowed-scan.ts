import type { ClamdClient, ScanResult } from "./clamd";

/** How a stream larger than clamd's StreamMaxLength is cut into INSTREAM sessions (LARGE_FILE_SCAN=windowed). */
export interface ScanWindows {
  /** Bytes one INSTREAM session carries at most: clamd's StreamMaxLength (CLAMAV_MAX_BYTES). */
  windowBytes: number;
  /** The last bytes of each window, sent again at the start of the next (LARGE_FILE_SCAN_OVERLAP_BYTES). */
  overlapBytes: number;
}

/**
 * Where window `index` starts in the stream. Windows step by windowBytes − overlapBytes, so any run
 * of up to overlapBytes + 1 bytes lies wholly within one window, wherever it falls.
 */
export function windowStart({ windowBytes, overlapBytes }: ScanWindows, index: number): number {
  return index * (windowBytes - overlapBytes);
}

/** How many windows cover a stream of `size` bytes (one for anything up to a window). */
export function windowCount(windows: ScanWindows, size: number): number {
  if (size <= windows.windowBytes) return 1;
  return 1 + Math.ceil((size - windows.windowBytes) / (windows.windowBytes - windows.overlapBytes));
}

/** The last `keep` bytes of what was pushed, holding on to no more than that plus one chunk. */
class Tail {
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly keep: number) {}

  push(chunk: Uint8Array): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    while (this.parts.length > 1 && this.size - this.parts[0].length >= this.keep) {
      this.size -= this.parts.shift()!.length;
    }
  }

  /** A copy: the source's chunks are not ours to keep. */
  bytes(): Buffer {
    const all = Buffer.concat(this.parts, this.size);
    return Buffer.from(all.subarray(Math.max(0, all.length - this.keep)));
  }
}

export interface WindowedScanProgress {
  /** New bytes of the stream clamd took (the overlap sent again is not counted twice). */
  onSent(bytes: number): void;
  /** True while no byte flows because the scan waits for an earlier window's verdict. */
  onWaiting?(waiting: boolean): void;
}

/** A windowed scan's verdict and the number of INSTREAM sessions it took. */
export type WindowedScanResult = ScanResult & { windows: number };

/**
 * Scans `source` in overlapping windows, one INSTREAM session each, reading it once: the overlap is
 * sent again from memory, not read again. While one window's verdict is owed the next one already
 * streams; at most two sessions at a time, so before each further window the scan waits for the
 * verdict two back (onWaiting: the caller may let go of its connection meanwhile). The first
 * detection ends the scan (the rest is not read); a failure of any window fails it. Memory: the
 * overlap plus the chunks in flight, whatever the size of the stream.
 */
export async function scanInWindows(
  clamd: Pick<ClamdClient, "scan">,
  source: AsyncIterable<Uint8Array>,
  windows: ScanWindows,
  progress: WindowedScanProgress,
): Promise<WindowedScanResult> {
  const { windowBytes, overlapBytes } = windows;
  if (!(overlapBytes >= 0 && overlapBytes < windowBytes))
    throw new RangeError(`a window of ${windowBytes} bytes cannot overlap by ${overlapBytes}`);
  const chunks = source[Symbol.asyncIterator]();
  // Read from the source but not yet sent: the rest of a chunk cut at a window's end.
  let pending: Uint8Array | undefined;
  let ended = false;
  // The last overlapBytes of the window before, sent first in the next one.
  let carry: Uint8Array = Buffer.alloc(0);
  let found: Extract<ScanResult, { outcome: "infected" }> | undefined;
  let failed: { error: unknown } | undefined;
  // A session stopped reading its window before the end (clamd answered early): the scan is over.
  let cut = false;

  async function pull(): Promise<Uint8Array | undefined> {
    if (pending) {
      const chunk = pending;
      pending = undefined;
      return chunk;
    }
    while (!ended) {
      const next = await chunks.next();
      if (next.done) ended = true;
      else if (next.value.length > 0) return next.value;
    }
    return undefined;
  }

  async function* windowOf(streamed: () => void): AsyncGenerator<Uint8Array> {
    const tail = new Tail(overlapBytes);
    let size = 0;
    let whole = false;
    try {
      if (carry.length > 0) {
        tail.push(carry);
        size += carry.length;
        yield carry;
      }
      while (size < windowBytes && !found && !failed) {
        let chunk = await pull();
        if (!chunk) break;
        const room = windowBytes - size;
        if (chunk.length > room) {
          pending = chunk.subarray(room);
          chunk = chunk.subarray(0, room);
        }
        tail.push(chunk);
        size += chunk.length;
        yield chunk;
      }
      carry = overlapBytes > 0 ? tail.bytes() : Buffer.alloc(0);
      whole = true;
    } finally {
      if (!whole) cut = true;
      streamed();
    }
  }

  const verdicts: Promise<void>[] = [];
  for (let index = 0; ; index++) {
    if (index > 0) {
      // Nothing left after a window that ended exactly at the end of the stream: no empty window.
      const next = await pull();
      if (!next) break;
      pending = next;
    }
    if (index >= 2) {
      // At most two sessions at a time: the window before the last one must have its verdict.
      progress.onWaiting?.(true);
      await verdicts[index - 2];
      progress.onWaiting?.(false);
      if (found || failed) break;
    }
    let resend = carry.length;
    const onSent = (bytes: number) => {
      const again = Math.min(bytes, resend);
      resend -= again;
      if (bytes > again) progress.onSent(bytes - again);
    };
    let streamed!: () => void;
    const windowStreamed = new Promise<void>((resolve) => (streamed = resolve));
    const verdict = clamd.scan(windowOf(streamed), onSent).then(
      (result) => {
        if (result.outcome === "infected") found ??= result;
      },
      (error: unknown) => {
        failed ??= { error };
      },
    );
    verdicts.push(verdict);
    // A session that fails before it reads its window (clamd unreachable) never streams it.
    await Promise.race([windowStreamed, verdict]);
    if (found || failed || cut || (ended && !pending)) break;
  }
  progress.onWaiting?.(true);
  await Promise.all(verdicts);
  // Every session is over, so nothing reads the source any more: let it free what it holds.
  await Promise.resolve(chunks.return?.()).catch(() => undefined);
  if (found) return { ...found, windows: verdicts.length };
  if (failed) throw failed.error;
  // A window cut short with no error would leave bytes unscanned: never a clean verdict.
  if (cut || !ended || pending) throw new Error("the windowed scan stopped before the end of the stream");
  return { outcome: "clean", windows: verdicts.length };
}
