import type { Knex } from "knex";
import { DomainError, notFound } from "../../lib/domain-errors";
import type { WebhookEventType } from "../../lib/webhooks";
import { recordAudit } from "./record";

export interface WebhookRow {
  id: string;
  userId: string;
  url: string;
  events: WebhookEventType[];
  secret: string;
  failingSince: Date | null;
  disabledAt: Date | null;
  createdAt: Date;
}

export interface WebhookDeliveryRow {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
}

/** Webhooks one user may have. */
export const MAX_WEBHOOKS_PER_USER = 20;

/** Registers a webhook; 409 `too_many_webhooks` past MAX_WEBHOOKS_PER_USER (counted under the user's row lock). */
export async function createWebhook(
  db: Knex,
  props: { userId: string; url: string; events: WebhookEventType[]; secret: string; ip?: string },
): Promise<WebhookRow> {
  return db.transaction(async (trx) => {
    await trx("users").where({ id: props.userId }).forUpdate().first("id");
    const [{ count }] = await trx("webhooks")
      .where({ userId: props.userId })
      .count<{ count: string }[]>({ count: "*" });
    if (Number(count) >= MAX_WEBHOOKS_PER_USER) {
      throw new DomainError("too_many_webhooks", `At most ${MAX_WEBHOOKS_PER_USER} webhooks per account.`);
    }
    const [row] = (await trx("webhooks")
      .insert({ userId: props.userId, url: props.url, events: props.events, secret: props.secret })
      .returning("*")) as WebhookRow[];
    await recordAudit(trx, {
      actorId: props.userId,
      action: "webhook.created",
      targetType: "webhook",
      targetId: row.id,
      ip: props.ip,
      details: { url: props.url, events: props.events },
    });
    return row;
  });
}

export async function listWebhooks(db: Knex, userId: string): Promise<WebhookRow[]> {
  return db("webhooks").where({ userId }).orderBy("createdAt", "desc");
}

/** The user's webhook; 404 for anyone else's. */
export async function findOwnedWebhook(db: Knex, userId: string, webhookId: string): Promise<WebhookRow> {
  const row = (await db("webhooks").where({ id: webhookId, userId }).first()) as WebhookRow | undefined;
  if (!row) throw notFound("webhook");
  return row;
}

/** Deletes the user's webhook with its delivery log; deliveries still retrying find it gone and stop. */
export async function deleteWebhook(db: Knex, userId: string, webhookId: string, ip?: string): Promise<void> {
  await db.transaction(async (trx) => {
    const deleted = await trx("webhooks").where({ id: webhookId, userId }).delete();
    if (!deleted) throw notFound("webhook");
    await recordAudit(trx, {
      actorId: userId,
      action: "webhook.deleted",
      targetType: "webhook",
      targetId: webhookId,
      ip,
    });
  });
}

export async function findWebhook(db: Knex, webhookId: string): Promise<WebhookRow | null> {
  return ((await db("webhooks").where({ id: webhookId }).first()) as WebhookRow | undefined) ?? null;
}

/** The user's enabled webhooks that want this event. */
export async function subscribedWebhooks(db: Knex, userId: string, type: WebhookEventType): Promise<WebhookRow[]> {
  return db("webhooks").where({ userId }).whereNull("disabledAt").whereRaw("? = ANY(events)", [type]);
}

/** The delivery log of a webhook, newest first, before the entry id `before` when given. */
export async function listWebhookDeliveries(
  db: Knex,
  webhookId: string,
  limit: number,
  before?: string,
): Promise<WebhookDeliveryRow[]> {
  const query = db("webhookDeliveries").where({ webhookId }).orderBy("id", "desc").limit(limit);
  if (before) query.where("id", "<", before);
  const rows = (await query) as WebhookDeliveryRow[];
  return rows.map((row) => ({ ...row, id: String(row.id) }));
}

/**
 * Logs one attempt and keeps the webhook's failure run: a success ends it, a failure starts it
 * unless one is running. Returns the webhook as it is afterwards (null when it was deleted).
 */
export async function recordWebhookAttempt(
  db: Knex,
  entry: Omit<WebhookDeliveryRow, "id" | "at">,
  ok: boolean,
): Promise<WebhookRow | null> {
  return db.transaction(async (trx) => {
    const [webhook] = (await trx("webhooks")
      .where({ id: entry.webhookId })
      .update({
        failingSince: ok ? null : trx.raw("COALESCE(failing_since, now())"),
        updatedAt: trx.fn.now(),
      })
      .returning("*")) as WebhookRow[];
    if (!webhook) return null;
    await trx("webhookDeliveries").insert(entry);
    return webhook;
  });
}

/**
 * Disables a webhook whose failure run has lasted `afterSeconds`; returns it when this call did
 * (so its owner is told once), else null.
 */
export async function disableFailingWebhook(
  db: Knex,
  webhookId: string,
  afterSeconds: number,
): Promise<WebhookRow | null> {
  const [row] = (await db("webhooks")
    .where({ id: webhookId })
    .whereNull("disabledAt")
    .whereRaw("failing_since <= now() - make_interval(secs => ?)", [afterSeconds])
    .update({ disabledAt: db.fn.now(), updatedAt: db.fn.now() })
    .returning("*")) as WebhookRow[];
  return row ?? null;
}
