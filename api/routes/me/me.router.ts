import { z } from "zod";
import {
  changePassword,
  endOtherSessions,
  endSession,
  getAccountSummary,
  listSessions,
  requestAccountDeletion,
} from "../../../db/commands/accounts";
import { User } from "../../../db/models";
import { accountDeletionInput, startAccountDeletion } from "../../../lib/account-deletion";
import { passwordNoticeMail } from "../../../lib/account-mail";
import { notFound } from "../../../lib/domain-errors";
import { unauthorized } from "../../../lib/errors";
import type { AppContext } from "../../context";
import { clientIp } from "../../middleware/rate-limit";
import { operation } from "../../route-table";
import { timestamp, UserView, uuid } from "../../schemas";
import { sendMailInBackground } from "../auth/send-mail";
import * as T from "./me.schema";

const Quota = z.object({
  usedBytes: z.number().int(),
  reservedBytes: z.number().int().meta({ description: "Held by open uploads" }),
  quotaBytes: z.number().int(),
  availableBytes: z.number().int(),
  filesCount: z.number().int().meta({ description: "Files that hold or will hold bytes, trashed ones included" }),
  maxFiles: z.number().int().nullable().meta({ description: "The plan's file limit; null without a plan" }),
  maxFileBytes: z.number().int().meta({ description: "The largest file an upload may declare" }),
  plan: z.string().nullable().meta({ description: "The plan's name; null without a plan" }),
});

const SessionView = z.object({
  id: uuid.describe("The session (refresh-token family); access tokens carry it as `sid`."),
  createdAt: timestamp.describe("When the login that began it happened."),
  lastUsedAt: timestamp.describe("Its last login or token refresh."),
  ip: z.string().nullable().describe("The client IP that logged in."),
  userAgent: z.string().nullable().describe("The User-Agent that logged in."),
  current: z.boolean().describe("True for the session of the access token that asked."),
});

/** The signed-in user (requireUser ran). */
const userOf = (ctx: AppContext) => ctx.state.user!;

export const meRoutes = [
  operation({
    operationId: "getMe",
    method: "get",
    path: "/me",
    summary: "The signed-in user and their quota",
    tag: "account",
    auth: "user",
    responses: { 200: { description: "The account", body: z.object({ user: UserView, quota: Quota }) } },
    handler: async (ctx) => {
      const summary = await getAccountSummary(ctx.deps.db, ctx.state.userId!, ctx.deps.config.PUBLIC_MAX_BYTES);
      if (!summary) throw unauthorized("invalid_token", "The access token is invalid or expired.");
      ctx.body = { user: summary.user.toPublic(), quota: summary.quota };
    },
  }),
  operation({
    operationId: "updateMe",
    method: "patch",
    path: "/me",
    summary: "Change the profile: the display name",
    tag: "account",
    auth: "user",
    input: T.UpdateMeSchema,
    responses: { 200: { description: "The account", body: z.object({ user: UserView }) } },
    handler: async (ctx) => {
      const [row] = await ctx.deps
        .db("users")
        .where({ id: ctx.state.userId! })
        .update({ name: ctx.input.body.name, updatedAt: ctx.deps.db.fn.now() }, "*");
      ctx.body = { user: User.fromDatabaseJson(row).toPublic() };
    },
  }),
  operation({
    operationId: "changePassword",
    method: "post",
    path: "/me/password",
    summary: "Change the password with the current one; every other session ends",
    tag: "account",
    auth: "user",
    rateLimit: "auth",
    input: T.ChangePasswordSchema,
    responses: { 204: { description: "Changed; this session goes on, the others are signed out" } },
    errors: [[403, "wrong_password", "currentPassword is not the account's password"]],
    handler: async (ctx) => {
      const user = userOf(ctx);
      const ip = clientIp(ctx);
      await changePassword({
        db: ctx.deps.db,
        user,
        sessionId: ctx.state.sessionId!,
        currentPassword: ctx.input.body.currentPassword,
        newPassword: ctx.input.body.newPassword,
        ip,
      });
      const notice = passwordNoticeMail({ to: user.email, name: user.name, how: "changed", ip, at: new Date() });
      sendMailInBackground(ctx, notice, user.id, "password notice mail");
      ctx.status = 204;
    },
  }),
  operation({
    operationId: "listSessions",
    method: "get",
    path: "/me/sessions",
    summary: "The account's signed-in sessions, most recently used first",
    tag: "account",
    auth: "user",
    responses: { 200: { description: "Sessions", body: z.object({ sessions: z.array(SessionView) }) } },
    handler: async (ctx) => {
      const sessions = await listSessions(ctx.deps.db, ctx.state.userId!);
      ctx.body = { sessions: sessions.map((session) => ({ ...session, current: session.id === ctx.state.sessionId })) };
    },
  }),
  operation({
    operationId: "endOtherSessions",
    method: "post",
    path: "/me/sessions/end-others",
    summary: "Sign out every session but this one",
    tag: "account",
    auth: "user",
    responses: {
      200: { description: "Ended", body: z.object({ ended: z.number().int().describe("How many sessions ended") }) },
    },
    handler: async (ctx) => {
      const ended = await endOtherSessions({
        db: ctx.deps.db,
        userId: ctx.state.userId!,
        keep: ctx.state.sessionId!,
        ip: clientIp(ctx),
      });
      ctx.body = { ended };
    },
  }),
  operation({
    operationId: "endSession",
    method: "delete",
    path: "/me/sessions/:id",
    summary: "Sign out one session (this one too, if it is named): its tokens stop working at once",
    tag: "account",
    auth: "user",
    input: T.SessionParamsSchema,
    responses: { 204: { description: "Ended" } },
    errors: [[404, "not_found", "No live session of this account has this id"]],
    handler: async (ctx) => {
      const ended = await endSession({
        db: ctx.deps.db,
        userId: ctx.state.userId!,
        sessionId: ctx.input.params.id,
        ip: clientIp(ctx),
      });
      if (!ended) throw notFound("session");
      ctx.status = 204;
    },
  }),
  operation({
    operationId: "deleteMe",
    method: "delete",
    path: "/me",
    summary: "Delete the account: it locks at once, and every file, share and row of it is removed",
    description:
      "Login, every token and every share link stop working before the answer; the AccountDeletion workflow (`account-deletion-<userId>`) then removes objects, thumbnails, previews, uploads and rows. One audit entry stays.",
    tag: "account",
    auth: "user",
    rateLimit: "auth",
    input: T.DeleteMeSchema,
    responses: {
      202: { description: "Being deleted", body: z.object({ status: z.literal("deleting") }) },
    },
    errors: [[403, "wrong_password"]],
    handler: async (ctx) => {
      const { db, config, temporal, logger } = ctx.deps;
      const user = userOf(ctx);
      await requestAccountDeletion({ db, user, password: ctx.input.body.password, ip: clientIp(ctx) });
      // Locked already; should Temporal be away, the nightly maintenance starts the deletion later.
      await startAccountDeletion(temporal, config.TEMPORAL_TASK_QUEUE, accountDeletionInput(config, user.id)).catch(
        (err: unknown) =>
          logger.error({ err, userId: user.id, requestId: ctx.state.requestId }, "account deletion not started"),
      );
      ctx.status = 202;
      ctx.body = { status: "deleting" };
    },
  }),
];
