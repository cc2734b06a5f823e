import { createHash, randomBytes } from "node:crypto";

/** A fresh 256-bit random token, base64url (43 characters): what a mail link or a cookie carries. */
export function randomToken(): string {
  return randomBytes(32).toString("base64url");
}

/** What the database stores instead of a token: its SHA-256, hex. A leaked table yields no usable token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whole seconds until `until` (at least 1), for Retry-After. */
export function secondsUntil(until: Date, now = new Date()): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}
