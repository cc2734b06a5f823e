import pino, { type Logger } from "pino";

export type { Logger };

/** Paths never written to logs, wherever they appear. */
const redact = {
  paths: [
    "password",
    "*.password",
    "token",
    "*.token",
    "accessToken",
    "*.accessToken",
    "refreshToken",
    "*.refreshToken",
    "currentPassword",
    "*.currentPassword",
    "newPassword",
    "*.newPassword",
    "secret",
    "*.secret",
    "authorization",
    "*.authorization",
    "req.headers.authorization",
    "req.headers.cookie",
    "*.headers.cookie",
    '*.headers["x-share-password"]',
  ],
  censor: "[redacted]",
};

/** JSON lines to stdout, or to `destination` (tests read what was logged). */
export function createLogger(options: { level: string; name: string }, destination?: pino.DestinationStream): Logger {
  const settings = { level: options.level, name: options.name, redact, base: { service: options.name } };
  return destination ? pino(settings, destination) : pino(settings);
}
