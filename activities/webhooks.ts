import { ApplicationFailure, Context, log } from "@temporalio/activity";
import { findUser } from "../db/commands/accounts/users";
import type { File } from "../db/models";
import { addNotification } from "../db/commands/notifications";
import { disableFailingWebhook, findWebhook, recordWebhookAttempt, subscribedWebhooks } from "../db/commands/webhooks";
import { webhookDisabledMail } from "../lib/notification-mail";
import { startWebhookDeliveries, webhookDeliveryId, webhookEvent } from "../lib/webhook-events";
import { postWebhook, type WebhookEvent } from "../lib/webhooks";
import type { ActivityDeps } from "./deps";
import type { FileOutcomeNotice } from "./notify";
import { sendMailOnce } from "./notify";

/** The file as webhook events carry it. */
function fileData(file: File) {
  return {
    id: file.id,
    name: file.name,
    folderId: file.folderId,
    sizeBytes: file.sizeBytes,
    mimeType: file.mimeType,
    detectedMimeType: file.detectedMimeType,
    status: file.status,
    statusReason: file.statusReason,
    sha256: file.sha256,
    scanSignature: file.scanSignature,
  };
}

/**
 * Starts a WebhookDelivery for each of the owner's webhooks that wants `file.<outcome>`. The event id
 * is derived from the outcome and the file, so a retry starts nothing new. Returns how many started.
 */
export async function emitFileEvent(deps: ActivityDeps, file: File, outcome: FileOutcomeNotice): Promise<number> {
  const type = `file.${outcome}` as const;
  const webhooks = await subscribedWebhooks(deps.db, file.ownerId, type);
  if (webhooks.length === 0) return 0;
  const event = webhookEvent(type, { file: fileData(file) }, `${type}:${file.id}`);
  return startWebhookDeliveries(
    deps.temporal,
    deps.config,
    webhooks.map((webhook) => webhook.id),
    event,
  );
}

export function webhookActivities(deps: ActivityDeps) {
  return {
    /**
     * One delivery attempt: POST the event (signed, WEBHOOK_TIMEOUT_MS, no redirects, the SSRF guard
     * on the address connected to), log it, and throw unless 2xx so Temporal retries with backoff. A
     * webhook whose failures have lasted WEBHOOK_DISABLE_AFTER_SECONDS is disabled here, once, and
     * its owner told; a deleted or disabled webhook ends the delivery.
     */
    async deliverWebhook(webhookId: string, event: WebhookEvent): Promise<{ statusCode: number }> {
      const { db, config } = deps;
      const webhook = await findWebhook(db, webhookId);
      if (!webhook)
        throw ApplicationFailure.create({ type: "WebhookGone", message: "webhook deleted", nonRetryable: true });
      if (webhook.disabledAt) {
        throw ApplicationFailure.create({ type: "WebhookDisabled", message: "webhook disabled", nonRetryable: true });
      }
      const attempt = Context.current().info.attempt;
      const result = await postWebhook({
        url: webhook.url,
        secret: webhook.secret,
        event,
        deliveryId: webhookDeliveryId(webhookId, event.id),
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
        timeoutMs: config.WEBHOOK_TIMEOUT_MS,
        userAgent: "Coffer-Webhooks/1",
      });
      const after = await recordWebhookAttempt(
        db,
        {
          webhookId,
          eventId: event.id,
          eventType: event.type,
          attempt,
          statusCode: result.statusCode,
          error: result.error,
          durationMs: result.durationMs,
        },
        result.ok,
      );
      if (!after)
        throw ApplicationFailure.create({ type: "WebhookGone", message: "webhook deleted", nonRetryable: true });
      if (result.ok) return { statusCode: result.statusCode! };

      const disabled = await disableFailingWebhook(db, webhookId, config.WEBHOOK_DISABLE_AFTER_SECONDS);
      if (disabled) {
        log.warn("webhook disabled after failing too long", { webhookId, failingSince: disabled.failingSince });
        const key = `webhook.disabled:${webhookId}:${disabled.disabledAt!.toISOString()}`;
        const data = {
          url: disabled.url,
          failingSince: disabled.failingSince,
          lastError: result.error,
          lastStatus: result.statusCode,
        };
        await addNotification(db, { userId: disabled.userId, kind: "webhook.disabled", data, idempotencyKey: key });
        const owner = await findUser(db, disabled.userId);
        if (owner) {
          await sendMailOnce(
            deps,
            `${key}:owner`,
            webhookDisabledMail({ to: owner.email, name: owner.name, url: disabled.url, appUrl: config.APP_URL }),
          );
        }
        throw ApplicationFailure.create({ type: "WebhookDisabled", message: "webhook disabled", nonRetryable: true });
      }
      const why = result.statusCode !== null ? `answered ${result.statusCode}` : (result.error ?? "failed");
      throw ApplicationFailure.create({ type: "WebhookDeliveryFailed", message: `webhook ${why}` });
    },
  };
}
