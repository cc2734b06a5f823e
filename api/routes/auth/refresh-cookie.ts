import type { AppContext } from "../../context";
import { apiPathOf } from "../../route-table";

export const refreshCookieName = "coffer_refresh";

function cookieOptions(ctx: AppContext) {
  // The refresh cookie goes only to the API's /auth/* (refresh and logout), never to other routes.
  const cookiePath = `${apiPathOf(ctx.deps.config.API_URL)}/auth`;
  // Secure whenever the public URL is https, even behind a TLS-terminating proxy the API cannot see.
  const secure = ctx.deps.config.APP_URL.startsWith("https:");
  if (secure) ctx.cookies.secure = true;
  return { httpOnly: true, sameSite: "strict" as const, path: cookiePath, secure, overwrite: true };
}

export function setRefreshCookie(ctx: AppContext, token: string): void {
  ctx.cookies.set(refreshCookieName, token, {
    ...cookieOptions(ctx),
    maxAge: ctx.deps.config.REFRESH_TOKEN_TTL_SECONDS * 1000,
  });
}

export function clearRefreshCookie(ctx: AppContext): void {
  ctx.cookies.set(refreshCookieName, null, cookieOptions(ctx));
}

/** The refresh token from the JSON body (non-browser clients) or else from the cookie. */
export function presentedRefreshToken(ctx: AppContext, fromBody: string | undefined): string | undefined {
  return fromBody ?? ctx.cookies.get(refreshCookieName) ?? undefined;
}
