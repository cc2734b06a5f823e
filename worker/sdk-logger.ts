import type { LogLevel, LogMetadata, Logger as TemporalLogger } from "@temporalio/common";
import type { Logger } from "../lib/logger";

const pinoLevel: Record<LogLevel, "trace" | "debug" | "info" | "warn" | "error"> = {
  TRACE: "trace",
  DEBUG: "debug",
  INFO: "info",
  WARN: "warn",
  ERROR: "error",
};

/** Routes the Temporal SDK's logs (worker, workflow and activity loggers) into pino. */
export class PinoSdkLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.logger[pinoLevel[level]](meta ?? {}, message);
  }
  trace(message: string, meta?: LogMetadata) {
    this.log("TRACE", message, meta);
  }
  debug(message: string, meta?: LogMetadata) {
    this.log("DEBUG", message, meta);
  }
  info(message: string, meta?: LogMetadata) {
    this.log("INFO", message, meta);
  }
  warn(message: string, meta?: LogMetadata) {
    this.log("WARN", message, meta);
  }
  error(message: string, meta?: LogMetadata) {
    this.log("ERROR", message, meta);
  }
}
