import type { Next } from "koa";
import { type AccessClaims, verifyAccessToken } from "../../lib/access-token";
import { notFound } from "../../lib/domain-errors";
import { unauthorized } from "../../lib/errors";
import { findSessionUser } from "../../db/commands/accounts/refresh-tokens";
import type { AppContext } from "../context";

const bearer = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;

/** The claims of the request's bearer access token; null when there is none or it is not valid. */
export async function presentedAccessClaims(ctx: AppContext): Promise<AccessClaims | null> {
  const match = bearer.exec(ctx.get("Authorization"));
  if (!match) return null;
  const { JWT_SECRET, JWT_SECRET_PREVIOUS } = ctx.deps.config;
  return verifyAccessToken(match[1], JWT_SECRET_PREVIOUS ? [JWT_SECRET, JWT_SECRET_PREVIOUS] : [JWT_SECRET]);
}

/**
 * Requires `Authorization: Bearer <access token>` of an enabled user whose session still stands;
 * sets ctx.state.userId, ctx.state.user and ctx.state.sessionId. Disabling the user, logging out or
 * ending the session stops its access tokens at once.
 */
export function requireUser() {
  return async (ctx: AppContext, next: Next) => {
    if (!bearer.test(ctx.get("Authorization")))
      throw unauthorized("unauthorized", "A bearer access token is required.");
    const claims = await presentedAccessClaims(ctx);
    if (!claims) throw unauthorized("invalid_token", "The access token is invalid or expired.");
    const user = await findSessionUser(ctx.deps.db, claims);
    if (!user) throw unauthorized("invalid_token", "The access token is invalid or expired.");
    ctx.state.userId = user.id;
    ctx.state.user = user;
    ctx.state.sessionId = claims.sessionId;
    await next();
  };
}

/** After requireUser: only admins pass; everyone else gets 404, as if the route did not exist. */
export function requireAdmin() {
  return async (ctx: AppContext, next: Next) => {
    if (ctx.state.user?.role !== "admin") throw notFound("route");
    await next();
  };
}
