import { subscribedWebhooks } from "../../../db/commands/webhooks";
import { startWebhookDeliveries, webhookEvent } from "../../../lib/webhook-events";
import type { AppContext } from "../../context";

/**
 * Sends `share.downloaded` to the share owner's webhooks that want it, without holding up the
 * download: a failure to start the deliveries is logged, never answered.
 */
export function emitShareDownloaded(
  ctx: AppContext,
  share: { id: string; ownerId: string; fileId: string | null },
  download: { name: string; sizeBytes: number; downloadCount: number },
): void {
  const { db, temporal, config, logger } = ctx.deps;
  void (async () => {
    const webhooks = await subscribedWebhooks(db, share.ownerId, "share.downloaded");
    if (webhooks.length === 0) return;
    const event = webhookEvent("share.downloaded", {
      share: { id: share.id, downloadCount: download.downloadCount },
      file: { id: share.fileId, name: download.name, sizeBytes: download.sizeBytes },
    });
    await startWebhookDeliveries(
      temporal,
      config,
      webhooks.map((webhook) => webhook.id),
      event,
    );
  })().catch((error: unknown) =>
    logger.warn({ err: error, shareId: share.id }, "share.downloaded webhooks not started"),
  );
}
