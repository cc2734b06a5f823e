import { z } from "zod";

/** Opaque cursor of the notification list: base64url of {at (ms), id}. */
const cursor = z
  .string()
  .max(512)
  .transform((value, ctx) => {
    try {
      const parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as unknown;
      const { at, id } = z.object({ at: z.number().int().min(0).max(8.64e15), id: z.uuid() }).parse(parsed);
      return { at: new Date(at), id };
    } catch {
      ctx.addIssue({ code: "custom", message: "is not a cursor this API gave out" });
      return z.NEVER;
    }
  });

/** The cursor that continues after a notification. */
export const cursorAfter = (notice: { createdAt: Date; id: string }) =>
  Buffer.from(JSON.stringify({ at: notice.createdAt.getTime(), id: notice.id })).toString("base64url");

export const NotificationsListSchema = z.object({
  query: z.object({
    /** Notifications per page, 1–100 (default 20). */
    limit: z.coerce.number().int().min(1).max(100).default(20),
    /** nextCursor of the previous page. */
    cursor: cursor.optional(),
  }),
});
export type NotificationsListReq = z.infer<typeof NotificationsListSchema>;

export const NotificationsReadSchema = z.object({
  body: z.union([
    z.object({
      /** The notifications to mark read (the caller's; others are ignored), 1–500. */
      ids: z.array(z.uuid()).min(1).max(500),
    }),
    z.object({
      /** true: mark every notification of the caller read. */
      all: z.literal(true),
    }),
  ]),
});
export type NotificationsReadReq = z.infer<typeof NotificationsReadSchema>;

export const NotificationSettingsSchema = z.object({
  body: z.object({
    /** Mail me when an upload of mine has passed the scan and is ready. */
    mailWhenReady: z.boolean(),
  }),
});
export type NotificationSettingsReq = z.infer<typeof NotificationSettingsSchema>;
