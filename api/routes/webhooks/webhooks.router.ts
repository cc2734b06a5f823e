import { z } from "zod";
import {
  createWebhook,
  deleteWebhook,
  findOwnedWebhook,
  listWebhookDeliveries,
  listWebhooks,
  type WebhookDeliveryRow,
  type WebhookRow,
} from "../../../db/commands/webhooks";
import { AppError } from "../../../lib/errors";
import { checkWebhookUrl, newWebhookSecret, WEBHOOK_EVENTS, WebhookUrlError } from "../../../lib/webhooks";
import { clientIp } from "../../middleware/rate-limit";
import { operation } from "../../route-table";
import { timestamp, uuid } from "../../schemas";
import * as T from "./webhooks.schema";

const WebhookView = z.object({
  id: uuid,
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  failingSince: timestamp
    .nullable()
    .describe("Start of the current run of failed deliveries; null when the last one worked."),
  disabledAt: timestamp.nullable().describe("Set once deliveries failed for 24 h: the webhook gets no more events."),
  createdAt: timestamp,
});
const DeliveryView = z.object({
  id: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  attempt: z.number().int().describe("1 for the first try of this event, then 2, 3 …"),
  statusCode: z
    .number()
    .int()
    .nullable()
    .describe("The receiver's HTTP status; null when none came (refused, timed out)."),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  at: timestamp,
});

const webhookView = (row: WebhookRow) => ({
  id: row.id,
  url: row.url,
  events: row.events,
  failingSince: row.failingSince,
  disabledAt: row.disabledAt,
  createdAt: row.createdAt,
});
const deliveryView = (row: WebhookDeliveryRow) => ({
  id: row.id,
  eventId: row.eventId,
  eventType: row.eventType,
  attempt: row.attempt,
  statusCode: row.statusCode,
  error: row.error,
  durationMs: row.durationMs,
  at: row.at,
});

export const webhooksRoutes = [
  operation({
    operationId: "createWebhook",
    method: "post",
    path: "/webhooks",
    summary: "Register a webhook; the signing secret is shown this once",
    description:
      'Each event is POSTed as JSON {id, type, at, data} with `Coffer-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` (docs/webhooks.md).',
    tag: "webhooks",
    auth: "user",
    input: T.WebhooksCreateSchema,
    examples: { ready: { url: "https://hooks.example.com/coffer", events: ["file.ready", "file.quarantined"] } },
    responses: {
      201: {
        description: "The webhook and its secret",
        body: z.object({
          webhook: WebhookView,
          secret: z.string().describe("HMAC key of Coffer-Signature; not shown again"),
        }),
      },
    },
    errors: [
      [
        400,
        "url_not_allowed",
        "Not http(s), does not resolve, or resolves to a loopback, private, link-local or metadata address",
      ],
      [409, "too_many_webhooks"],
    ],
    handler: async (ctx) => {
      const { db, config } = ctx.deps;
      const { url, events } = ctx.input.body;
      try {
        await checkWebhookUrl(url, config.WEBHOOK_ALLOW_PRIVATE);
      } catch (error) {
        if (error instanceof WebhookUrlError) throw new AppError(400, "url_not_allowed", `The URL ${error.message}.`);
        throw error;
      }
      const secret = newWebhookSecret();
      const webhook = await createWebhook(db, { userId: ctx.state.userId!, url, events, secret, ip: clientIp(ctx) });
      ctx.status = 201;
      ctx.body = { webhook: webhookView(webhook), secret };
    },
  }),
  operation({
    operationId: "listWebhooks",
    method: "get",
    path: "/webhooks",
    summary: "The caller's webhooks, newest first",
    tag: "webhooks",
    auth: "user",
    responses: {
      200: {
        description: "Webhooks (secrets are never shown again)",
        body: z.object({ webhooks: z.array(WebhookView) }),
      },
    },
    handler: async (ctx) => {
      ctx.body = { webhooks: (await listWebhooks(ctx.deps.db, ctx.state.userId!)).map(webhookView) };
    },
  }),
  operation({
    operationId: "deleteWebhook",
    method: "delete",
    path: "/webhooks/:id",
    summary: "Delete a webhook; deliveries still retrying stop",
    tag: "webhooks",
    auth: "user",
    input: T.WebhookParamsSchema,
    responses: { 204: { description: "Deleted with its delivery log" } },
    errors: [[404, "not_found"]],
    handler: async (ctx) => {
      await deleteWebhook(ctx.deps.db, ctx.state.userId!, ctx.input.params.id, clientIp(ctx));
      ctx.status = 204;
    },
  }),
  operation({
    operationId: "listWebhookDeliveries",
    method: "get",
    path: "/webhooks/:id/deliveries",
    summary: "Every delivery attempt of a webhook, newest first",
    tag: "webhooks",
    auth: "user",
    input: T.WebhookDeliveriesSchema,
    responses: {
      200: {
        description: "One page of the log",
        body: z.object({
          deliveries: z.array(DeliveryView),
          nextBefore: z.string().nullable().describe("Pass as `before` for older entries; null on the last page"),
        }),
      },
    },
    errors: [[404, "not_found"]],
    handler: async (ctx) => {
      const { db } = ctx.deps;
      const webhook = await findOwnedWebhook(db, ctx.state.userId!, ctx.input.params.id);
      const { limit, before } = ctx.input.query;
      const deliveries = await listWebhookDeliveries(db, webhook.id, limit, before);
      const last = deliveries[deliveries.length - 1];
      ctx.body = {
        deliveries: deliveries.map(deliveryView),
        nextBefore: deliveries.length === limit && last ? last.id : null,
      };
    },
  }),
];
