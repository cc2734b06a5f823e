import type { Next } from "koa";
import type { AppContext } from "../context";

/** A year: browsers remember to use https only for that long after each https response. */
const hstsMaxAgeSeconds = 365 * 24 * 3600;

/** Who may frame an answer: no one, or (an operation marked framedBySameOrigin) our own pages. */
type Ancestors = "'none'" | "'self'";
const pagePolicy = (ancestors: Ancestors) => `frame-ancestors ${ancestors}`;
const jsonPolicy = (ancestors: Ancestors) => `default-src 'none'; ${pagePolicy(ancestors)}`;

/**
 * The headers every response carries, whoever answers it (a route, the error handler, the web
 * client, Node's own refusals in api/http-server.ts):
 * - X-Content-Type-Options nosniff: browsers must not sniff a type other than the one we send;
 * - X-Frame-Options DENY and CSP frame-ancestors 'none': no page of another site can frame ours or
 *   the web client's (clickjacking); a JSON body also gets default-src 'none', so opened in a
 *   browser it can load and run nothing;
 * - Referrer-Policy no-referrer: a share page's URL carries its token, which must not leak to
 *   whatever the page links to or loads;
 * - Strict-Transport-Security only when APP_URL is https (over plain http it would be ignored,
 *   and a local stack must stay reachable over http).
 */
export function securityHeaderValues(appUrl: string, json: boolean): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": json ? jsonPolicy("'none'") : pagePolicy("'none'"),
    "Referrer-Policy": "no-referrer",
    ...(new URL(appUrl).protocol === "https:" ? { "Strict-Transport-Security": `max-age=${hstsMaxAgeSeconds}` } : {}),
  };
}

/**
 * Set before anything else runs, so errors carry them too. The Content-Security-Policy is settled
 * once the response is known: a route's own policy (a shared file's bytes are sandboxed) is kept,
 * with frame-ancestors added when it lacks it. No cache may keep a response (they carry tokens,
 * share links and private data): a route with a reason to allow caching sets its own Cache-Control.
 */
export function securityHeaders() {
  return async (ctx: AppContext, next: Next) => {
    ctx.set(securityHeaderValues(ctx.deps.config.APP_URL, true));
    ctx.set("Cache-Control", "no-store");
    await next();
    const ancestors: Ancestors = ctx.response.get("X-Frame-Options") === "SAMEORIGIN" ? "'self'" : "'none'";
    const policy = ctx.response.get("Content-Security-Policy");
    if (policy === jsonPolicy("'none'")) {
      ctx.set("Content-Security-Policy", ctx.response.is("json") ? jsonPolicy(ancestors) : pagePolicy(ancestors));
    } else if (!/(^|;)\s*frame-ancestors\s/.test(policy)) {
      ctx.set("Content-Security-Policy", `${policy}; ${pagePolicy(ancestors)}`);
    }
  };
}

/** For an operation marked framedBySameOrigin: our own pages may frame its answers, errors included. */
export function sameOriginFraming() {
  return async (ctx: AppContext, next: Next) => {
    ctx.set("X-Frame-Options", "SAMEORIGIN");
    await next();
  };
}
