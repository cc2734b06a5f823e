import { ActivityFailure, log, proxyActivities } from "@temporalio/workflow";
import type { Activities } from "../activities";
import type { WebhookDeliveryInput } from "../lib/webhook-events";

export type WebhookDeliveryOutcome = "delivered" | "gave_up" | "webhook_gone" | "webhook_disabled";

/**
 * WebhookDelivery (id `webhook-<webhookId>-<eventId>`): POSTs one event to one webhook until a 2xx,
 * retrying with backoff for `retry.forSeconds` (24 h by default). Every attempt is logged by the
 * activity; a webhook that has failed for WEBHOOK_DISABLE_AFTER_SECONDS is disabled there and the
 * delivery ends.
 */
export async function webhookDelivery(input: WebhookDeliveryInput): Promise<WebhookDeliveryOutcome> {
  const { deliverWebhook } = proxyActivities<Activities>({
    // WEBHOOK_TIMEOUT_MS bounds the POST; the rest is two short DB writes.
    startToCloseTimeout: "1 minute",
    scheduleToCloseTimeout: input.retry.forSeconds * 1000,
    retry: {
      initialInterval: input.retry.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: input.retry.maxIntervalMs,
      nonRetryableErrorTypes: ["WebhookGone", "WebhookDisabled"],
    },
  });
  try {
    await deliverWebhook(input.webhookId, input.event);
    return "delivered";
  } catch (error) {
    const type = error instanceof ActivityFailure && error.cause && "type" in error.cause ? error.cause.type : null;
    const outcome: WebhookDeliveryOutcome =
      type === "WebhookGone" ? "webhook_gone" : type === "WebhookDisabled" ? "webhook_disabled" : "gave_up";
    log.warn("webhook delivery ended without success", {
      webhookId: input.webhookId,
      eventId: input.event.id,
      outcome,
    });
    return outcome;
  }
}
