import { Context } from "@temporalio/activity";

/**
 * The activity, heartbeating every `everyMs` while it runs: with a heartbeat timeout on it, Temporal
 * notices a worker that died mid-way within that timeout and retries elsewhere, instead of waiting
 * out the start-to-close timeout. A hung step is bounded by the activity's own limits (PREVIEW_TIMEOUT_MS).
 */
export function heartbeating<Args extends unknown[], Result>(
  activity: (...args: Args) => Promise<Result>,
  everyMs = 5000,
): (...args: Args) => Promise<Result> {
  return async (...args: Args) => {
    const context = Context.current();
    const beat = setInterval(() => context.heartbeat(), everyMs);
    try {
      return await activity(...args);
    } finally {
      clearInterval(beat);
    }
  };
}
