import type { Next } from "koa";
import { verifyAccessToken } from "../../lib/access-token";
import { notFound, unauthorized } from "../../lib/errors";
import { findActiveUser } from "../../db/commands/accounts/users";
import type { AppContext } from "../context";

/**
 * Requires `Authorization: Bearer <access token>` of an enabled user; sets ctx.state.userId and
 * ctx.state.user. A disabled user's tokens stop working at once.
 */
export function requireUser() {
  return async (ctx: AppContext, next: Next) => {
    const header = ctx.get("Authorization");
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(header);
    if (!match) throw unauthorized("unauthorized", "A bearer access token is required.");
    const { JWT_SECRET, JWT_SECRET_PREVIOUS } = ctx.deps.config;
    const secrets = JWT_SECRET_PREVIOUS ? [JWT_SECRET, JWT_SECRET_PREVIOUS] : [JWT_SECRET];
    const claims = await verifyAccessToken(match[1], secrets);
    if (!claims) throw unauthorized("invalid_token", "The access token is invalid or expired.");
    const user = await findActiveUser(ctx.deps.db, claims.userId);
    if (!user) throw unauthorized("invalid_token", "The access token is invalid or expired.");
    ctx.state.userId = user.id;
    ctx.state.user = user;
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
