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
    "authorization",
    "*.authorization",
    "req.headers.authorization",
    "req.headers.cookie",
    "*.headers.cookie",
    "*.headers[\"x-share-password\"]",
  ],
  censor: "[redacted]",
};

export function createLogger(options: { level: string; name: string }): Logger {
  return pino({ level: options.level, name: options.name, redact, base: { service: options.name } });
}
