import type { Mail } from "./mailer";

/** What the notification mails say about a file. */
export interface FileFacts {
  id: string;
  name: string;
  sizeBytes: number;
}

/** 1536 → "1.5 KiB": sizes as people read them. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1).replace(/\.0$/, "")} ${units[unit]}`;
}

const greeting = (name: string | null) => (name ? `Hello ${name},` : "Hello,");
const filesLink = (appUrl: string) => `${appUrl.replace(/\/+$/, "")}/files`;

/** Tells the owner that an upload was found infected and quarantined, and that its bytes were given back. */
export function quarantineMail(props: {
  to: string;
  name: string | null;
  file: FileFacts;
  signature: string;
  appUrl: string;
}): Mail {
  const { file } = props;
  return {
    to: props.to,
    subject: `Coffer quarantined "${file.name}": malware found`,
    text: [
      greeting(props.name),
      "",
      `The virus scan found malware in "${file.name}" (${formatBytes(file.sizeBytes)}): ${props.signature}.`,
      "The file was moved to quarantine: nobody can download or share it, and its links stopped working.",
      `Its ${formatBytes(file.sizeBytes)} no longer count against your quota.`,
      "Quarantined files are deleted for good after the retention period.",
      "",
      filesLink(props.appUrl),
    ].join("\n"),
  };
}

/** Tells the owner that an upload was refused after the scan, why, and that its bytes were given back. */
export function rejectionMail(props: {
  to: string;
  name: string | null;
  file: FileFacts;
  reason: string;
  detectedMimeType: string | null;
  appUrl: string;
}): Mail {
  const { file } = props;
  const why =
    props.reason === "type_not_allowed"
      ? `its content is of a type this server does not accept${props.detectedMimeType ? ` (${props.detectedMimeType})` : ""}`
      : props.reason;
  return {
    to: props.to,
    subject: `Coffer refused "${file.name}"`,
    text: [
      greeting(props.name),
      "",
      `"${file.name}" (${formatBytes(file.sizeBytes)}) was refused after upload: ${why}.`,
      `The file was deleted and its ${formatBytes(file.sizeBytes)} no longer count against your quota.`,
      "",
      filesLink(props.appUrl),
    ].join("\n"),
  };
}

/** The opt-in "your upload is ready" mail. */
export function readyMail(props: { to: string; name: string | null; file: FileFacts; appUrl: string }): Mail {
  return {
    to: props.to,
    subject: `"${props.file.name}" is ready in Coffer`,
    text: [
      greeting(props.name),
      "",
      `"${props.file.name}" (${formatBytes(props.file.sizeBytes)}) passed the virus scan and is ready to download and share.`,
      "",
      filesLink(props.appUrl),
      "",
      "You get this mail because you asked for one when an upload is ready; turn it off in your settings.",
    ].join("\n"),
  };
}

/** The alert every detection sends to ADMIN_ALERT_EMAILS. */
export function detectionAlertMail(props: {
  to: string;
  owner: { id: string; email: string };
  file: FileFacts;
  signature: string;
  sha256: string | null;
}): Mail {
  const { file } = props;
  return {
    to: props.to,
    subject: `[Coffer] Malware detected: ${props.signature}`,
    text: [
      `The virus scan found ${props.signature} in an upload, and quarantined it.`,
      "",
      `File: ${file.name} (${file.id}), ${file.sizeBytes} bytes`,
      `SHA-256: ${props.sha256 ?? "(not computed: the scan stopped at the detection)"}`,
      `Owner: ${props.owner.email} (${props.owner.id})`,
      "",
      "The owner was told. The audit log has the entry file.quarantined for this file.",
    ].join("\n"),
  };
}

/** Tells a webhook's owner that it was disabled after failing for too long. */
export function webhookDisabledMail(props: { to: string; name: string | null; url: string; appUrl: string }): Mail {
  return {
    to: props.to,
    subject: "Coffer disabled a webhook that kept failing",
    text: [
      greeting(props.name),
      "",
      `Every delivery to your webhook ${props.url} failed for 24 hours, so it was disabled: it gets no more events.`,
      "Check the delivery log in your settings, fix the receiver, then create the webhook again.",
      "",
      `${props.appUrl.replace(/\/+$/, "")}/settings`,
    ].join("\n"),
  };
}
