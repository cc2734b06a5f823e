import type { Mail } from "./mailer";

export interface VerificationMailProps {
  to: string;
  name: string | null;
  appUrl: string;
  token: string;
  ttlSeconds: number;
}

/** The link the web client serves at /verify; it posts the token to POST /auth/verify. */
export function verificationLink(appUrl: string, token: string): string {
  return `${appUrl.replace(/\/+$/, "")}/verify?token=${encodeURIComponent(token)}`;
}

/** The e-mail that asks a new account to confirm its address. */
export function verificationMail({ to, name, appUrl, token, ttlSeconds }: VerificationMailProps): Mail {
  const hours = Math.max(1, Math.round(ttlSeconds / 3600));
  const greeting = name ? `Hello ${name},` : "Hello,";
  return {
    to,
    subject: "Confirm your e-mail address for Coffer",
    text: [
      greeting,
      "",
      "Please confirm your e-mail address by opening this link:",
      "",
      verificationLink(appUrl, token),
      "",
      `The link works once and expires in ${hours} hour${hours === 1 ? "" : "s"}.`,
      "If you did not create a Coffer account, ignore this mail.",
    ].join("\n"),
  };
}

export interface PasswordResetMailProps {
  to: string;
  name: string | null;
  appUrl: string;
  token: string;
  ttlSeconds: number;
}

/** The link the web client serves at /reset; it posts the token and the new password to POST /auth/password/reset. */
export function passwordResetLink(appUrl: string, token: string): string {
  return `${appUrl.replace(/\/+$/, "")}/reset?token=${encodeURIComponent(token)}`;
}

/** The e-mail with a single-use link to choose a new password. */
export function passwordResetMail({ to, name, appUrl, token, ttlSeconds }: PasswordResetMailProps): Mail {
  const minutes = Math.max(1, Math.round(ttlSeconds / 60));
  const lifetime = minutes % 60 === 0 ? `${minutes / 60} hour${minutes === 60 ? "" : "s"}` : `${minutes} minutes`;
  return {
    to,
    subject: "Reset your Coffer password",
    text: [
      name ? `Hello ${name},` : "Hello,",
      "",
      "Someone (we hope you) asked to reset the password of your Coffer account. Choose a new one here:",
      "",
      passwordResetLink(appUrl, token),
      "",
      `The link works once and expires in ${lifetime}. Resetting signs you out everywhere.`,
      "If you did not ask for this, ignore this mail: your password stays as it is.",
    ].join("\n"),
  };
}

export interface PasswordNoticeMailProps {
  to: string;
  name: string | null;
  /** reset: through a mailed link (every session ended); changed: with the current password (other sessions ended). */
  how: "reset" | "changed";
  ip: string;
  at: Date;
}

/** Tells the owner that their password changed, so a change they did not make does not go unnoticed. */
export function passwordNoticeMail({ to, name, how, ip, at }: PasswordNoticeMailProps): Mail {
  return {
    to,
    subject: "Your Coffer password was changed",
    text: [
      name ? `Hello ${name},` : "Hello,",
      "",
      how === "reset"
        ? `The password of your Coffer account was reset through an e-mailed link at ${at.toISOString()} (from ${ip}). Every session was signed out.`
        : `The password of your Coffer account was changed at ${at.toISOString()} (from ${ip}). Your other sessions were signed out.`,
      "",
      "If this was not you, reset your password at once with “Forgot password” on the sign-in page.",
    ].join("\n"),
  };
}
