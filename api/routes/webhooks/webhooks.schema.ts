import { z } from "zod";
import { WEBHOOK_EVENTS } from "../../../lib/webhooks";

const webhookParams = z.object({
  /** The webhook's id. */
  id: z.uuid(),
});

export const WebhooksCreateSchema = z.object({
  body: z.object({
    /** Where events are POSTed: http(s), no credentials, at most 2048 characters; must not resolve to a private address. */
    url: z
      .string()
      .max(2048)
      .url()
      .refine((value) => /^https?:\/\//i.test(value), "must be an http or https URL"),
    /** The events to send, at least one. */
    events: z
      .array(z.enum(WEBHOOK_EVENTS))
      .min(1)
      .max(WEBHOOK_EVENTS.length)
      .transform((events) => [...new Set(events)]),
  }),
});
export type WebhooksCreateReq = z.infer<typeof WebhooksCreateSchema>;

export const WebhookParamsSchema = z.object({ params: webhookParams });

export const WebhookDeliveriesSchema = z.object({
  params: webhookParams,
  query: z.object({
    /** Log entries per page, newest first, 1–200 (default 50). */
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** nextBefore of the previous page: entries older than this one. */
    before: z
      .string()
      .regex(/^[1-9]\d{0,17}$/, "must be the nextBefore of a previous page")
      .optional(),
  }),
});
export type WebhookDeliveriesReq = z.infer<typeof WebhookDeliveriesSchema>;
