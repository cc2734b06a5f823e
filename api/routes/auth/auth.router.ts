import { z } from "zod";
import {
  attemptLogin,
  registerUser,
  requestPasswordReset,
  resetPassword,
  resendVerification,
  revokeRefreshToken,
  rotateRefreshToken,
  verifyEmail,
} from "../../../db/commands/accounts";
import { revokeSession } from "../../../db/commands/accounts/refresh-tokens";
import type { User } from "../../../db/models";
import { signAccessToken } from "../../../lib/access-token";
import { passwordNoticeMail, passwordResetMail, verificationMail } from "../../../lib/account-mail";
import { badRequest, forbidden, tooManyRequests, unauthorized } from "../../../lib/errors";
import type { AppContext } from "../../context";
import { presentedAccessClaims } from "../../middleware/auth";
import { clientIp } from "../../middleware/rate-limit";
import { operation } from "../../route-table";
import { UserView } from "../../schemas";
import * as T from "./auth.schema";
import { clearRefreshCookie, presentedRefreshToken, setRefreshCookie } from "./refresh-cookie";
import { sendMailInBackground } from "./send-mail";

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
  void mailer
    .send(mail)
    .catch((err: unknown) => logger.error({ err, requestId, userId: user.id }, "verification mail not sent"));
}

/** The body of a successful login or refresh: a fresh access token of that session and the user. */
async function session(ctx: AppContext, user: User, sessionId: string) {
  const { JWT_SECRET, ACCESS_TOKEN_TTL_SECONDS } = ctx.deps.config;
  const accessToken = await signAccessToken(
    { userId: user.id, role: user.role, sessionId },
    JWT_SECRET,
    ACCESS_TOKEN_TTL_SECONDS,
  );
  return { accessToken, expiresIn: ACCESS_TOKEN_TTL_SECONDS, user: user.toPublic() };
}

const invalidRefresh = () => unauthorized("invalid_refresh_token", "The refresh token is invalid, expired or revoked.");

const UserBody = z.object({ user: UserView });
const Session = z.object({
  accessToken: z.string().describe("Send as `Authorization: Bearer <accessToken>`."),
  expiresIn: z.number().int().describe("Seconds the access token lives; refresh before then."),
  user: UserView,
});
const refreshed = Session.extend({
  refreshToken: z
    .string()
    .optional()
    .describe("The next refresh token, only when this one came in the body (clients without cookies)."),
});
const refreshCookie = {
  "Set-Cookie": "coffer_refresh: the refresh token (httpOnly, SameSite=Strict, path /auth), rotated on each use",
};

/** Accounts: register, verify, log in, refresh, log out. JSON bodies only (login CSRF). */
export const authRoutes = [
  operation({
    operationId: "register",
    method: "post",
    path: "/auth/register",
    summary: "Create an account; a verification link goes to the address",
    tag: "auth",
    auth: "public",
    rateLimit: "auth",
    input: T.RegisterSchema,
    examples: { ada: { email: "ada@example.com", password: "correct horse battery staple", name: "Ada" } },
    responses: { 201: { description: "Created, not verified yet", body: UserBody } },
    errors: [[409, "email_taken"]],
    handler: async (ctx) => {
      const { email, password, name } = ctx.input.body;
      const { config, db } = ctx.deps;
      const { user, verificationToken } = await registerUser({
        db,
        email,
        password,
        name: name ?? null,
        quotaBytes: config.DEFAULT_QUOTA_BYTES,
        verificationTtlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
        ip: clientIp(ctx),
      });
      sendVerificationMail(ctx, user, verificationToken);
      ctx.status = 201;
      ctx.body = { user: user.toPublic() };
    },
  }),
  operation({
    operationId: "verifyEmail",
    method: "post",
    path: "/auth/verify",
    summary: "Confirm an address with the token of the mailed link (single use)",
    tag: "auth",
    auth: "public",
    rateLimit: "auth",
    input: T.VerifySchema,
    responses: { 200: { description: "Verified", body: UserBody } },
    errors: [[400, "invalid_token", "Unknown, expired or used"]],
    handler: async (ctx) => {
      const user = await verifyEmail({ db: ctx.deps.db, token: ctx.input.body.token, ip: clientIp(ctx) });
      ctx.body = { user: user.toPublic() };
    },
  }),
  operation({
    operationId: "resendVerification",
    method: "post",
    path: "/auth/resend-verification",
    summary: "Send the verification link again (always 202: no account enumeration)",
    tag: "auth",
    auth: "public",
    rateLimit: "auth",
    input: T.ResendVerificationSchema,
    responses: { 202: { description: "Accepted", body: z.object({ status: z.literal("accepted") }) } },
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const fresh = await resendVerification({
        db,
        email: ctx.input.body.email,
        ttlSeconds: config.EMAIL_VERIFICATION_TTL_SECONDS,
      });
      if (fresh) sendVerificationMail(ctx, fresh.user, fresh.token);
      ctx.status = 202;
      ctx.body = { status: "accepted" };
    },
  }),
  operation({
    operationId: "login",
    method: "post",
    path: "/auth/login",
    summary: "Log in: an access token, and the refresh token as a cookie",
    tag: "auth",
    auth: "public",
    rateLimit: "auth",
    input: T.LoginSchema,
    examples: { ada: { email: "ada@example.com", password: "correct horse battery staple" } },
    responses: { 200: { description: "Logged in", body: Session, headers: refreshCookie } },
    errors: [
      [401, "invalid_credentials"],
      [403, "email_not_verified"],
      [403, "account_disabled"],
      [
        429,
        "login_locked",
        "LOGIN_MAX_FAILURES failures for this e-mail and IP: locked for LOGIN_LOCK_SECONDS, even with the right password",
      ],
    ],
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const result = await attemptLogin({
        db,
        email: ctx.input.body.email,
        password: ctx.input.body.password,
        ip: clientIp(ctx),
        userAgent: ctx.get("User-Agent").slice(0, 512) || null,
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
          ctx.body = await session(ctx, result.user, result.sessionId);
      }
    },
  }),
  operation({
    operationId: "refreshSession",
    method: "post",
    path: "/auth/refresh",
    summary: "A new access token and refresh token for the refresh token (cookie or body), which then stops working",
    tag: "auth",
    auth: "public",
    rateLimit: "auth",
    input: T.RefreshSchema,
    responses: { 200: { description: "Refreshed", body: refreshed, headers: refreshCookie } },
    errors: [
      [400, "bad_request", "No refresh token"],
      [401, "invalid_refresh_token", "Invalid, expired, revoked, or used before (which ends the session)"],
    ],
    handler: async (ctx) => {
      const fromBody = ctx.input.body.refreshToken;
      const token = presentedRefreshToken(ctx, fromBody);
      if (!token) throw badRequest("A refresh token is required (cookie or body).");
      const { db, config } = ctx.deps;
      const result = await rotateRefreshToken({
        db,
        token,
        ttlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
        ip: clientIp(ctx),
      });
      if (!result.ok) {
        clearRefreshCookie(ctx);
        throw invalidRefresh();
      }
      setRefreshCookie(ctx, result.refreshToken);
      ctx.body = {
        ...(await session(ctx, result.user, result.sessionId)),
        ...(fromBody ? { refreshToken: result.refreshToken } : {}),
      };
    },
  }),
  operation({
    operationId: "logout",
    method: "post",
    path: "/auth/logout",
    summary: "End the session: its refresh token and access tokens stop working at once",
    tag: "auth",
    auth: "public",
    rateLimit: "auth",
    input: T.RefreshSchema,
    responses: { 204: { description: "Logged out (or already)" } },
    handler: async (ctx) => {
      const token = presentedRefreshToken(ctx, ctx.input.body.refreshToken);
      if (token) await revokeRefreshToken({ db: ctx.deps.db, token });
      const claims = await presentedAccessClaims(ctx);
      if (claims) await revokeSession(ctx.deps.db, claims);
      clearRefreshCookie(ctx);
      ctx.status = 204;
    },
  }),
  operation({
    operationId: "forgotPassword",
    method: "post",
    path: "/auth/password/forgot",
    summary: "Mail a single-use password-reset link (always 202: no account enumeration)",
    description:
      "Known or unknown address, the answer, its status and the work behind it are the same; the link (valid PASSWORD_RESET_TTL_SECONDS, 1 h) goes only to an enabled account.",
    tag: "auth",
    auth: "public",
    rateLimit: "auth",
    input: T.ForgotPasswordSchema,
    responses: { 202: { description: "Accepted", body: z.object({ status: z.literal("accepted") }) } },
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const reset = await requestPasswordReset({
        db,
        email: ctx.input.body.email,
        ttlSeconds: config.PASSWORD_RESET_TTL_SECONDS,
      });
      if (reset) {
        const mail = passwordResetMail({
          to: reset.user.email,
          name: reset.user.name,
          appUrl: config.APP_URL,
          token: reset.token,
          ttlSeconds: config.PASSWORD_RESET_TTL_SECONDS,
        });
        sendMailInBackground(ctx, mail, reset.user.id, "password reset mail");
      }
      ctx.status = 202;
      ctx.body = { status: "accepted" };
    },
  }),
  operation({
    operationId: "resetPassword",
    method: "post",
    path: "/auth/password/reset",
    summary: "Set a new password with the token of the mailed link (single use); every session ends",
    tag: "auth",
    auth: "public",
    rateLimit: "auth",
    input: T.ResetPasswordSchema,
    responses: { 200: { description: "Password set; log in with it", body: UserBody } },
    errors: [[400, "invalid_token", "Unknown, expired or used"]],
    handler: async (ctx) => {
      const ip = clientIp(ctx);
      const { token, password } = ctx.input.body;
      const { user } = await resetPassword({ db: ctx.deps.db, token, password, ip });
      const notice = passwordNoticeMail({ to: user.email, name: user.name, how: "reset", ip, at: new Date() });
      sendMailInBackground(ctx, notice, user.id, "password notice mail");
      ctx.body = { user: user.toPublic() };
    },
  }),
];
