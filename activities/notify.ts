import { createHash } from "node:crypto";
import { Context, log } from "@temporalio/activity";
import { findUser } from "../db/commands/accounts/users";
import { findFile } from "../db/commands/files/find";
import type { File } from "../db/models";
import { addNotification, claimMail, markMailSent, releaseMail } from "../db/commands/notifications";
import { subscribedWebhooks } from "../db/commands/webhooks";
import type { Mail } from "../lib/mailer";
import { detectionAlertMail, quarantineMail, readyMail, rejectionMail } from "../lib/notification-mail";
import type { ActivityDeps } from "./deps";
import { emitFileEvent } from "./webhooks";

/** The file outcomes that notify someone. */
export type FileOutcomeNotice = "ready" | "quarantined" | "rejected";

/** What one notifyFileOutcome call did (a run that repeats an earlier one adds and sends nothing). */
export interface NotifyReport {
  inApp: boolean;
  mailed: number;
  skipped: number;
  /** WebhookDelivery workflows started for the outcome's event. */
  webhooks: number;
}

/**
 * Whether a ready file's notify step has anything to do: its owner wants a mail when uploads are
 * ready, or has a webhook for file.ready. When neither, FileLifecycle skips the step (no activity).
 */
export async function wantsReadyNotice(deps: ActivityDeps, file: Pick<File, "ownerId">): Promise<boolean> {
  const owner = await findUser(deps.db, file.ownerId);
  if (!owner || owner.deletionRequestedAt) return false;
  return owner.mailWhenReady || (await subscribedWebhooks(deps.db, file.ownerId, "file.ready")).length > 0;
}

/**
 * Sends a mail once per idempotency key: claimed in mail_deliveries first, marked sent once the SMTP
 * server took it. A send that fails gives the claim back (a retry sends); a claim left by an attempt
 * that died mid-send is not sent again (db/commands/notifications claimMail). The Message-ID comes
 * from the key, so a receiver that sees one twice can tell.
 */
export async function sendMailOnce(deps: ActivityDeps, idempotencyKey: string, mail: Mail): Promise<boolean> {
  const claim = await claimMail(deps.db, { idempotencyKey, recipient: mail.to, subject: mail.subject });
  if (claim === "skip") return false;
  const host = new URL(deps.config.APP_URL).hostname || "coffer";
  const messageId = `${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32)}@${host}`;
  try {
    await deps.mailer.send({ ...mail, messageId });
  } catch (error) {
    await releaseMail(deps.db, idempotencyKey);
    throw error;
  }
  await markMailSent(deps.db, idempotencyKey);
  return true;
}

/**
 * Tells people what became of a file: on quarantine and rejection the owner gets an in-app
 * notification and a mail (what happened, the bytes given back), and every detection mails
 * ADMIN_ALERT_EMAILS; a ready file mails its owner when they asked for it. Each notification and
 * mail has an idempotency key of the file, so however often this runs, each goes out once. Then the
 * owner's webhooks that want `file.<outcome>` get the event (one WebhookDelivery each, id derived
 * from the event).
 */
export function notifyFileOutcomeActivity(deps: ActivityDeps) {
  return async function notifyFileOutcome(fileId: string, outcome: FileOutcomeNotice): Promise<NotifyReport> {
    const report: NotifyReport = { inApp: false, mailed: 0, skipped: 0, webhooks: 0 };
    const file = await findFile(deps.db, fileId);
    if (!file) return report;
    const owner = await findUser(deps.db, file.ownerId);
    if (!owner || owner.deletionRequestedAt) return report;
    const facts = { id: file.id, name: file.name, sizeBytes: file.sizeBytes };
    const appUrl = deps.config.APP_URL;
    const key = `file.${outcome}:${fileId}`;
    const mails: [string, Mail][] = [];

    if (outcome === "quarantined" && file.status === "quarantined") {
      const signature = file.scanSignature ?? "malware";
      report.inApp = await addNotification(deps.db, {
        userId: owner.id,
        kind: "file.quarantined",
        fileId,
        data: { name: file.name, sizeBytes: file.sizeBytes, signature, refundedBytes: file.sizeBytes },
        idempotencyKey: key,
      });
      mails.push([
        `${key}:owner`,
        quarantineMail({ to: owner.email, name: owner.name, file: facts, signature, appUrl }),
      ]);
      for (const address of deps.config.ADMIN_ALERT_EMAILS) {
        const alert = detectionAlertMail({
          to: address,
          owner: { id: owner.id, email: owner.email },
          file: facts,
          signature,
          sha256: file.sha256,
        });
        mails.push([`${key}:admin:${address.toLowerCase()}`, alert]);
      }
    } else if (outcome === "rejected" && file.status === "rejected") {
      const reason = file.statusReason ?? "rejected";
      report.inApp = await addNotification(deps.db, {
        userId: owner.id,
        kind: "file.rejected",
        fileId,
        data: {
          name: file.name,
          sizeBytes: file.sizeBytes,
          reason,
          detectedMimeType: file.detectedMimeType,
          refundedBytes: file.sizeBytes,
        },
        idempotencyKey: key,
      });
      const mail = rejectionMail({
        to: owner.email,
        name: owner.name,
        file: facts,
        reason,
        detectedMimeType: file.detectedMimeType,
        appUrl,
      });
      mails.push([`${key}:owner`, mail]);
    } else if (outcome === "ready" && file.status === "ready" && owner.mailWhenReady) {
      mails.push([`${key}:owner`, readyMail({ to: owner.email, name: owner.name, file: facts, appUrl })]);
    }

    for (const [mailKey, mail] of mails) {
      Context.current().heartbeat(mailKey);
      if (await sendMailOnce(deps, mailKey, mail)) report.mailed++;
      else report.skipped++;
    }
    if (file.status === outcome) report.webhooks = await emitFileEvent(deps, file, outcome);
    if (report.mailed || report.inApp || report.webhooks)
      log.info("file outcome notified", { fileId, outcome, ...report });
    return report;
  };
}
