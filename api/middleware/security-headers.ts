import type { Next } from "koa";
import type { AppContext } from "../context";

/**
 * Set before anything else runs, so errors carry them too: browsers must not sniff a type other
 * than the one we send, and no cache may keep a response (they carry tokens, share links and
 * private data). A route with a reason to allow caching sets its own Cache-Control.
 */
export function securityHeaders() {
  return async (ctx: AppContext, next: Next) => {
    ctx.set("X-Content-Type-Options", "nosniff");
    ctx.set("Cache-Control", "no-store");
    await next();
  };
}
