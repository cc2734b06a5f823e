import Router from "@koa/router";
import {
  attemptLogin,
  registerUser,
  resendVerification,
  revokeRefreshToken,
  rotateRefreshToken,
  verifyEmail,
} from "../../../db/commands/accounts";
import type { User } from "../../../db/models";
import { signAccessToken } from "../../../lib/access-token";
import { verificationMail } from "../../../lib/account-mail";
import { AppError, badRequest, conflict, forbidden, tooManyRequests, unauthorized } from "../../../lib/errors";
import type { AppContext, AppExtensions, AppState } from "../../context";
import { clientIp, rateLimit } from "../../middleware/rate-limit";
import { validate } from "../../middleware/validate";
import * as T from "./auth.schema";
import { clearRefreshCookie, presentedRefreshToken, setRefreshCookie } from "./refresh-cookie";

/** Sends the verification mail without making the client wait for SMTP (or learn from its timing). */
function sendVerificationMail(ctx: AppContext, user: User, token: string): void {
  const { mailer, config, logger } = ctx.deps;
  const mail = verificationMail({
    to: user.email,
    name: user.name,
    appUrl: config.APP_URL,
    token,
    ttlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
  });
  const requestId = ctx.state.requestId;
  void mailer.send(mail).catch((err: unknown) => logger.error({ err, requestId, userId: user.id }, "verification mail not sent"));
}

/** The body of a successful login or refresh: a fresh access token and the user. */
async function session(ctx: AppContext, user: User) {
  const { JWT_SECRET, ACCESS_TOKEN_TTL_SECONDS } = ctx.deps.config;
  const accessToken = await signAccessToken({ userId: user.id, role: user.role }, JWT_SECRET, ACCESS_TOKEN_TTL_SECONDS);
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, user: user.toPublic() };
}

const invalidRefresh = () => unauthorized("invalid_refresh_token", "The refresh token is invalid, expired or revoked.");

export function authRouter() {
  const router = new Router<AppState, AppExtensions>({ prefix: "/auth" });

  router.post("/register", rateLimit("auth"), validate(T.RegisterSchema), async (ctx: AppContext<T.RegisterReq>) => {
    const { email, password, name } = ctx.input.body;
    const { config, db } = ctx.deps;
    const result = await registerUser({
      db,
      email,
      password,
      name: name ?? null,
      quotaBytes: config.DEFAULT_QUOTA_BYTES,
      verificationTtlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
      ip: clientIp(ctx),
    });
    if (!result.ok) throw conflict("email_taken", "An account with this e-mail address exists.");
    sendVerificationMail(ctx, result.user, result.verificationToken);
    ctx.status = 201;
    ctx.body = { user: result.user.toPublic() };
  });

  router.post("/verify", rateLimit("auth"), validate(T.VerifySchema), async (ctx: AppContext<T.VerifyReq>) => {
    const user = await verifyEmail({ db: ctx.deps.db, token: ctx.input.body.token, ip: clientIp(ctx) });
    if (!user) throw new AppError(400, "invalid_token", "The verification link is invalid, expired or already used.");
    ctx.body = { user: user.toPublic() };
  });

  router.post(
    "/resend-verification",
    rateLimit("auth"),
    validate(T.ResendVerificationSchema),
    async (ctx: AppContext<T.ResendVerificationReq>) => {
      const { db, config } = ctx.deps;
      const fresh = await resendVerification({ db, email: ctx.input.body.email, ttlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS });
      if (fresh) sendVerificationMail(ctx, fresh.user, fresh.token);
      ctx.status = 202;
      ctx.body = { status: "accepted" };
    },
  );

  router.post("/login", rateLimit("auth"), validate(T.LoginSchema), async (ctx: AppContext<T.LoginReq>) => {
    const { db, config } = ctx.deps;
    const result = await attemptLogin({
      db,
      email: ctx.input.body.email,
      password: ctx.input.body.password,
      ip: clientIp(ctx),
      throttle: {
        maxFailures: config.LOGIN_MAX_FAILURES,
        windowSeconds: config.LOGIN_FAILURE_WINDOW_SECONDS,
        lockSeconds: config.LOGIN_LOCK_SECONDS,
      },
      refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    });
    switch (result.outcome) {
      case "locked":
        throw tooManyRequests("login_locked", "Too many failed logins; try again later.", result.retryAfterSeconds);
      case "bad_credentials":
        throw unauthorized("invalid_credentials", "Wrong e-mail address or password.");
      case "email_not_verified":
        throw forbidden("email_not_verified", "Confirm your e-mail address first; we can send the link again.");
      case "disabled":
        throw forbidden("account_disabled", "This account is disabled.");
      case "ok":
        setRefreshCookie(ctx, result.refreshToken);
        ctx.body = await session(ctx, result.user);
    }
  });

  router.post("/refresh", rateLimit("auth"), validate(T.RefreshSchema), async (ctx: AppContext<T.RefreshReq>) => {
    const fromBody = ctx.input.body.refreshToken;
    const token = presentedRefreshToken(ctx, fromBody);
    if (!token) throw badRequest("A refresh token is required (cookie or body).");
    const { db, config } = ctx.deps;
    const result = await rotateRefreshToken({ db, token, ttlSeconds: config.REFRESH_TOKEN_TTL_SECONDS, ip: clientIp(ctx) });
    if (!result.ok) {
      clearRefreshCookie(ctx);
      throw invalidRefresh();
    }
    setRefreshCookie(ctx, result.refreshToken);
    ctx.body = { ...(await session(ctx, result.user)), ...(fromBody ? { refreshToken: result.refreshToken } : {}) };
  });

  router.post("/logout", rateLimit("auth"), validate(T.RefreshSchema), async (ctx: AppContext<T.RefreshReq>) => {
    const token = presentedRefreshToken(ctx, ctx.input.body.refreshToken);
    if (token) await revokeRefreshToken({ db: ctx.deps.db, token });
    clearRefreshCookie(ctx);
    ctx.status = 204;
  });

  return router;
}
