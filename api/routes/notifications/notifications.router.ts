import { z } from "zod";
import {
  getNotificationSettings,
  listNotifications,
  markNotificationsRead,
  type NotificationRow,
  setNotificationSettings,
} from "../../../db/commands/notifications";
import { unauthorized } from "../../../lib/errors";
import { operation } from "../../route-table";
import { nextCursor, timestamp, uuid } from "../../schemas";
import * as T from "./notifications.schema";

export const NotificationView = z.object({
  id: uuid,
  kind: z
    .enum(["file.quarantined", "file.rejected", "file.ready", "webhook.disabled"])
    .describe("What happened: a file quarantined or rejected (its bytes refunded), a webhook disabled."),
  fileId: uuid.nullable().describe("The file it is about, if any (it may since have been deleted)."),
  data: z
    .record(z.string(), z.unknown())
    .describe("Facts for the message: name, sizeBytes, refundedBytes, signature or reason, detectedMimeType, url …"),
  readAt: timestamp.nullable(),
  createdAt: timestamp,
});
const Settings = z.object({ mailWhenReady: z.boolean() });

function notificationView(row: NotificationRow) {
  return {
    id: row.id,
    kind: row.kind,
    fileId: row.fileId,
    data: row.data,
    readAt: row.readAt,
    createdAt: row.createdAt,
  };
}

/** In-app notifications of the signed-in user and their mail settings. */
export const notificationsRoutes = [
  operation({
    operationId: "listNotifications",
    method: "get",
    path: "/me/notifications",
    summary: "The caller's notifications, newest first, with the unread count",
    tag: "account",
    auth: "user",
    input: T.NotificationsListSchema,
    responses: {
      200: {
        description: "One page of notifications",
        body: z.object({
          notifications: z.array(NotificationView),
          unread: z.number().int().describe("Unread notifications in all."),
          nextCursor,
        }),
      },
    },
    handler: async (ctx) => {
      const { limit, cursor } = ctx.input.query;
      const page = await listNotifications(ctx.deps.db, ctx.state.userId!, { limit, after: cursor });
      const last = page.notifications[page.notifications.length - 1];
      ctx.body = {
        notifications: page.notifications.map(notificationView),
        unread: page.unread,
        nextCursor: page.notifications.length === limit && last ? T.cursorAfter(last) : null,
      };
    },
  }),
  operation({
    operationId: "markNotificationsRead",
    method: "post",
    path: "/me/notifications/read",
    summary: "Mark notifications read: the ones named, or all",
    tag: "account",
    auth: "user",
    input: T.NotificationsReadSchema,
    examples: { some: { ids: ["5b0c2f4e-6a0e-4c53-9d0b-1f2e3d4c5b6a"] }, all: { all: true } },
    responses: {
      200: {
        description: "How many changed and how many stay unread",
        body: z.object({ marked: z.number().int(), unread: z.number().int() }),
      },
    },
    handler: async (ctx) => {
      const { db } = ctx.deps;
      const userId = ctx.state.userId!;
      const body = ctx.input.body;
      const marked = await markNotificationsRead(db, userId, "all" in body ? "all" : { ids: body.ids });
      const { unread } = await listNotifications(db, userId, { limit: 0 });
      ctx.body = { marked, unread };
    },
  }),
  operation({
    operationId: "getNotificationSettings",
    method: "get",
    path: "/me/notifications/settings",
    summary: "Which optional mails the caller gets",
    tag: "account",
    auth: "user",
    responses: { 200: { description: "The settings", body: Settings } },
    handler: async (ctx) => {
      const settings = await getNotificationSettings(ctx.deps.db, ctx.state.userId!);
      if (!settings) throw unauthorized("invalid_token", "The access token is invalid or expired.");
      ctx.body = settings;
    },
  }),
  operation({
    operationId: "updateNotificationSettings",
    method: "patch",
    path: "/me/notifications/settings",
    summary: 'Turn the "mail me when my upload is ready" mail on or off',
    description: "Quarantine and rejection notices are always sent.",
    tag: "account",
    auth: "user",
    input: T.NotificationSettingsSchema,
    examples: { on: { mailWhenReady: true } },
    responses: { 200: { description: "The settings as they are now", body: Settings } },
    handler: async (ctx) => {
      await setNotificationSettings(ctx.deps.db, ctx.state.userId!, ctx.input.body);
      ctx.body = ctx.input.body;
    },
  }),
];
