import { asApiError, isTransient } from "./api-error";
import type { Clock } from "./types";

/** Attempts per part PUT and per API call before the file goes to `error`. */
export const MAX_ATTEMPTS = 5;
/** When a 429 carries no Retry-After. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** Thrown when pause, cancel or a sibling's failure stopped the work: not a failure of its own. */
export class Aborted extends Error {
  override readonly name = "Aborted";
}

/** Wait after the n-th failure (1-based): 1, 2, 4, 8, 16 s, plus up to half again as jitter. */
export function backoffMs(failures: number, random: () => number): number {
  const base = 1000 * 2 ** Math.min(Math.max(failures, 1) - 1, 4);
  return base + Math.floor(base * 0.5 * random());
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const onAbort = () => {
      clock.clearTimeout(timer);
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export interface RetryOptions {
  clock: Clock;
  random: () => number;
  signal: AbortSignal;
  /** Told before each wait: when the next try happens, and the 429 that asked for it (if any). */
  onWait?: (retryAt: number, rateLimited: boolean, message: string | null) => void;
}

/**
 * Calls `call` until it succeeds. Network and 5xx failures are retried with backoff, up to
 * MAX_ATTEMPTS in all; a 429 waits for Retry-After and does not count. Any other error is thrown
 * at once; `Aborted` when the signal aborts during a wait.
 */
export async function callWithRetry<T>(call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const { clock, random, signal, onWait } = options;
  let failures = 0;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (signal.aborted) throw new Aborted();
      const api = asApiError(error);
      let waitMs: number;
      if (api?.status === 429) {
        waitMs = 1000 * (api.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
      } else if (isTransient(error)) {
        failures += 1;
        if (failures >= MAX_ATTEMPTS) throw error;
        waitMs = backoffMs(failures, random);
      } else {
        throw error;
      }
      onWait?.(clock.now() + waitMs, api?.status === 429, api?.message ?? null);
      if (!(await sleep(clock, waitMs, signal))) throw new Aborted();
    }
  }
}
