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
