import { createHash, randomUUID } from "node:crypto";
import type { Client } from "@temporalio/client";
import type { Config } from "./config";
import type { WebhookEvent, WebhookEventType } from "./webhooks";
import { startOnce } from "./workflow-start";

/** Retry timings the WebhookDelivery workflow takes from the starter's config (workflow code reads no env). */
export interface WebhookDeliveryInput {
  webhookId: string;
  event: WebhookEvent;
  retry: { initialIntervalMs: number; maxIntervalMs: number; forSeconds: number };
}

export const webhookDeliveryId = (webhookId: string, eventId: string) => `webhook-${webhookId}-${eventId}`;

/**
 * An event. `key` names what happened when it can happen only once (`file.ready:<fileId>`): its id
 * is then derived from it, so the same event started twice is one delivery; else the id is random.
 */
export function webhookEvent(type: WebhookEventType, data: Record<string, unknown>, key?: string): WebhookEvent {
  const id = key
    ? `evt_${createHash("sha256").update(key).digest("hex").slice(0, 32)}`
    : `evt_${randomUUID().replace(/-/g, "")}`;
  return { id, type, at: new Date().toISOString(), data };
}

export type WebhookConfig = Pick<
  Config,
  "TEMPORAL_TASK_QUEUE" | "WEBHOOK_RETRY_INITIAL_MS" | "WEBHOOK_RETRY_MAX_MS" | "WEBHOOK_RETRY_FOR_SECONDS"
>;

/**
 * Starts one WebhookDelivery per webhook (id `webhook-<webhookId>-<eventId>`); a delivery already
 * started for the same event is left alone. Returns how many were started.
 */
export async function startWebhookDeliveries(
  client: Client,
  config: WebhookConfig,
  webhookIds: string[],
  event: WebhookEvent,
): Promise<number> {
  let started = 0;
  for (const webhookId of webhookIds) {
    const input: WebhookDeliveryInput = {
      webhookId,
      event,
      retry: {
        initialIntervalMs: config.WEBHOOK_RETRY_INITIAL_MS,
        maxIntervalMs: config.WEBHOOK_RETRY_MAX_MS,
        forSeconds: config.WEBHOOK_RETRY_FOR_SECONDS,
      },
    };
    const fresh = await startOnce(client, "webhookDelivery", {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowId: webhookDeliveryId(webhookId, event.id),
      workflowIdReusePolicy: "REJECT_DUPLICATE",
      args: [input],
    });
    if (fresh) started++;
  }
  return started;
}
