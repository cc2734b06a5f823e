import type { Knex } from "knex";

/** What a notification is about. */
export type NotificationKind = "file.quarantined" | "file.rejected" | "file.ready" | "webhook.disabled";

export interface NotificationRow {
  id: string;
  userId: string;
  kind: NotificationKind;
  fileId: string | null;
  data: Record<string, unknown>;
  readAt: Date | null;
  createdAt: Date;
}

/**
 * Adds an in-app notification once: a second call with the same idempotency key (an activity that
 * runs again) adds nothing. Returns whether this call added it.
 */
export async function addNotification(
  db: Knex,
  notice: { userId: string; kind: NotificationKind; fileId?: string | null; data: object; idempotencyKey: string },
): Promise<boolean> {
  const { rows } = await db.raw<{ rows: unknown[] }>(
    `INSERT INTO notifications (user_id, kind, file_id, data, idempotency_key)
     SELECT id, ?, ?, ?::jsonb, ? FROM users WHERE id = ?
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
    [notice.kind, notice.fileId ?? null, JSON.stringify(notice.data), notice.idempotencyKey, notice.userId],
  );
  return rows.length > 0;
}

/** A user's notifications, newest first, after the (createdAt, id) cursor when given. */
export async function listNotifications(
  db: Knex,
  userId: string,
  options: { limit: number; after?: { at: Date; id: string } },
): Promise<{ notifications: NotificationRow[]; unread: number }> {
  const query = db("notifications")
    .where({ userId })
    .orderBy([
      { column: "createdAt", order: "desc" },
      { column: "id", order: "desc" },
    ])
    .limit(options.limit);
  if (options.after) query.whereRaw("(created_at, id) < (?, ?)", [options.after.at, options.after.id]);
  const [notifications, [{ count }]] = await Promise.all([
    query as Promise<NotificationRow[]>,
    db("notifications").where({ userId }).whereNull("readAt").count<{ count: string }[]>({ count: "*" }),
  ]);
  return { notifications, unread: Number(count) };
}

/** Marks the given notifications of the user (or all of them) read; returns how many changed. */
export async function markNotificationsRead(db: Knex, userId: string, which: { ids: string[] } | "all") {
  const query = db("notifications").where({ userId }).whereNull("readAt");
  if (which !== "all") query.whereIn("id", which.ids);
  return query.update({ readAt: db.fn.now() });
}

/**
 * Claims the mail of an idempotency key before it is sent. `send` when this call made the claim (or
 * an earlier one was released after a failed send); `skip` when the mail was sent, or when an
 * earlier attempt died during its SMTP exchange: it may have reached the server, and a second copy
 * is worse than none (docs/files.md, "Notifications").
 */
export async function claimMail(
  db: Knex,
  mail: { idempotencyKey: string; recipient: string; subject: string },
): Promise<"send" | "skip"> {
  const { rows } = await db.raw<{ rows: unknown[] }>(
    `INSERT INTO mail_deliveries (idempotency_key, recipient, subject, state) VALUES (?, ?, ?, 'sending')
     ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
    [mail.idempotencyKey, mail.recipient, mail.subject],
  );
  return rows.length > 0 ? "send" : "skip";
}

/** The SMTP server refused the mail or could not be reached: nothing left, so a retry may send it. */
export async function releaseMail(db: Knex, idempotencyKey: string): Promise<void> {
  await db("mail_deliveries").where({ idempotencyKey, state: "sending" }).delete();
}

/** The SMTP server took the mail. */
export async function markMailSent(db: Knex, idempotencyKey: string): Promise<void> {
  await db("mail_deliveries").where({ idempotencyKey }).update({ state: "sent", sentAt: db.fn.now() });
}

/** Whether the user wants a mail when an upload of theirs is ready. */
export async function getNotificationSettings(db: Knex, userId: string): Promise<{ mailWhenReady: boolean } | null> {
  const row = await db("users").where({ id: userId }).first<{ mailWhenReady: boolean } | undefined>("mailWhenReady");
  return row ? { mailWhenReady: row.mailWhenReady } : null;
}

export async function setNotificationSettings(
  db: Knex,
  userId: string,
  settings: { mailWhenReady: boolean },
): Promise<void> {
  await db("users").where({ id: userId }).update({ mailWhenReady: settings.mailWhenReady });
}
