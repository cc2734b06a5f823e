import type { Next } from "koa";
import type { AppContext } from "../context";

/** One log line and one latency observation per request, after the error handler has set the status. */
export function requestLog() {
  return async (ctx: AppContext, next: Next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = ctx._matchedRoute ? String(ctx._matchedRoute) : "unmatched";
      const { logger, metrics } = ctx.deps;
      metrics.requestDuration.observe({ route, method: ctx.method, code: String(ctx.status) }, seconds);
      logger.info(
        {
          requestId: ctx.state.requestId,
          userId: ctx.state.userId,
          method: ctx.method,
          route,
          status: ctx.status,
          latencyMs: Math.round(seconds * 1e6) / 1e3,
        },
        "request",
      );
    }
  };
}
