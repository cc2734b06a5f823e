import type { Mailer } from "./mailer";

/** What an SMTP error means to an operator, from nodemailer's error code and the server's reply. */
export function explainMailError(error: unknown, smtpUrl: string): string {
  const { code, responseCode, response, message } = (error ?? {}) as {
    code?: string;
    responseCode?: number;
    response?: string;
    message?: string;
  };
  const server = serverOf(smtpUrl);
  // nodemailer wraps socket errors as ESOCKET / ECONNECTION; the system error is in the message.
  const systemCode = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET)\b/.exec(message ?? "")?.[1];
  switch (systemCode === "EAI_AGAIN" ? "ENOTFOUND" : (systemCode ?? code)) {
    case "ECONNREFUSED":
      return `nothing listens at ${server}: is the SMTP server running, and is SMTP_URL's host and port right?`;
    case "ENOTFOUND":
    case "EDNS":
      return `the host of ${server} does not resolve: check SMTP_URL's host name`;
    case "ETIMEDOUT":
    case "ECONNECTION":
      return `no answer from ${server} in time: a firewall, or the wrong port (465 is smtps://, 587 and 25 are smtp://)`;
    case "ETLS":
    case "ESOCKET":
      return `the TLS handshake with ${server} failed (${message}): smtps:// for port 465, smtp:// (STARTTLS) for 587`;
    case "EAUTH":
      return `${server} refused the login (${response ?? message}): check the user and password in SMTP_URL (URL-encode special characters)`;
    case "EENVELOPE":
      return `${server} refused the sender or the recipient (${response ?? message}): check EMAIL_FROM, which the relay may require to be one of its domains`;
    case "EMESSAGE":
      return `${server} refused the message (${response ?? message})`;
  }
  if (responseCode) return `${server} answered ${responseCode}: ${response ?? message}`;
  return `sending through ${server} failed: ${message ?? String(error)}`;
}

/** host:port of an SMTP URL, without its credentials. */
function serverOf(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    const port = url.port || (url.protocol === "smtps:" ? "465" : "25");
    return `${url.protocol}//${url.hostname}:${port}`;
  } catch {
    return "SMTP_URL (not a URL)";
  }
}

/** Sends one test mail; the problem in words when it fails. */
export async function sendTestMail(
  mailer: Pick<Mailer, "send">,
  props: { to: string; smtpUrl: string; appUrl: string },
): Promise<{ ok: true } | { ok: false; problem: string }> {
  try {
    await mailer.send({
      to: props.to,
      subject: "Coffer test mail",
      text: `This is a test mail from Coffer at ${props.appUrl}.\nIf you can read it, mail from Coffer reaches this address.\n`,
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, problem: explainMailError(error, props.smtpUrl) };
  }
}
