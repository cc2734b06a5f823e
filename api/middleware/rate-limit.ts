import { isIP } from "node:net";
import type { Middleware, Next } from "koa";
import ratelimit from "koa-ratelimit";
import { tooManyRequests } from "../../lib/errors";
import type { AppContext } from "../context";
import type { AppDeps } from "../deps";

/**
 * The limits of SPEC §6, and "sharePassword" for shares created with a password (each one an argon2
 * hash). "upload" and "sharePassword" count per user and must run after requireUser().
 */
export type RateLimitKind = "auth" | "upload" | "public" | "admin" | "sharePassword";

const perUser = new Set<RateLimitKind>(["upload", "sharePassword"]);

/**
 * The client's address: the socket's peer, or with TRUST_PROXY the address our one trusted proxy
 * appended to X-Forwarded-For (Koa runs with maxIpsCount 1, so a client cannot choose it by sending
 * its own header). Anything that is not an IP address is cut short so it cannot bloat a key or a row.
 */
export function clientIp(ctx: AppContext): string {
  const ip = ctx.ip || "unknown";
  return isIP(ip) ? ip : ip.slice(0, 64);
}

const headerNames = { total: "RateLimit-Limit", remaining: "RateLimit-Remaining", reset: "RateLimit-Reset" };

function maxFor(kind: RateLimitKind, config: AppDeps["config"]): number {
  switch (kind) {
    case "auth":
      return config.RATE_LIMIT_AUTH_PER_MINUTE;
    case "upload":
      return config.RATE_LIMIT_UPLOAD_PER_MINUTE;
    case "public":
      return config.RATE_LIMIT_PUBLIC_PER_MINUTE;
    case "admin":
      return config.RATE_LIMIT_ADMIN_PER_MINUTE;
    case "sharePassword":
      return config.RATE_LIMIT_SHARE_PASSWORD_PER_MINUTE;
  }
}

function clientKey(kind: RateLimitKind, ctx: AppContext): string {
  return perUser.has(kind) ? `user:${ctx.state.userId}` : `ip:${clientIp(ctx)}`;
}

function buildLimiter(kind: RateLimitKind, deps: AppDeps): Middleware {
  return ratelimit({
    driver: "redis",
    // @types/koa-ratelimit pins an older ioredis type; the client is the same at runtime.
    db: deps.redis as unknown as ratelimit.MiddlewareOptions["db"],
    namespace: `${deps.config.RATE_LIMIT_PREFIX}:${kind}`,
    duration: deps.config.RATE_LIMIT_WINDOW_SECONDS * 1000,
    max: maxFor(kind, deps.config),
    id: (ctx) => clientKey(kind, ctx as AppContext),
    headers: headerNames,
  });
}

/** koa-ratelimit sends the reset as an epoch; the RateLimit-Reset header means seconds from now. */
function resetSeconds(ctx: AppContext): number {
  const epoch = Number(ctx.response.get(headerNames.reset));
  const seconds = Number.isFinite(epoch) ? Math.ceil(epoch - Date.now() / 1000) : 0;
  return Math.max(1, seconds);
}

/**
 * Limits requests per window (RATE_LIMIT_WINDOW_SECONDS) in Redis, shared by every API process.
 * Answers 429 `rate_limited` with Retry-After and our error body; every response carries
 * RateLimit-Limit, -Remaining and -Reset. Should Redis be unreachable the request passes (and a
 * warning is logged): the limits protect the service, they must not take it down.
 */
export function rateLimit(kind: RateLimitKind) {
  const limiters = new WeakMap<AppDeps, Middleware>();
  return async (ctx: AppContext, next: Next) => {
    if (perUser.has(kind) && !ctx.state.userId) throw new Error(`rateLimit("${kind}") must run after requireUser()`);
    let limiter = limiters.get(ctx.deps);
    if (!limiter) {
      limiter = buildLimiter(kind, ctx.deps);
      limiters.set(ctx.deps, limiter);
    }
    let admitted = false;
    try {
      await limiter(ctx as never, async () => {
        admitted = true;
        ctx.set(headerNames.reset, String(resetSeconds(ctx)));
        await next();
      });
    } catch (error) {
      if (admitted) throw error;
      ctx.deps.logger.warn(
        { err: error, kind, requestId: ctx.state.requestId },
        "rate limiter unavailable; request let through",
      );
      return next();
    }
    if (!admitted) {
      const retryAfter = resetSeconds(ctx);
      ctx.set(headerNames.reset, String(retryAfter));
      throw tooManyRequests("rate_limited", `Too many requests; retry in ${retryAfter} s.`, retryAfter);
    }
  };
}

/** rateLimit(kind) for the requests `applies` picks; the others pass without being counted. */
export function rateLimitWhen<Input>(kind: RateLimitKind, applies: (ctx: AppContext<Input>) => boolean) {
  const limit = rateLimit(kind);
  return (ctx: AppContext<Input>, next: Next) => (applies(ctx) ? limit(ctx, next) : next());
}
