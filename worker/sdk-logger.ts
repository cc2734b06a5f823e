import type { LogLevel, LogMetadata, Logger as TemporalLogger } from "@temporalio/common";
import type { Logger } from "../lib/logger";

const pinoLevel: Record<LogLevel, "trace" | "debug" | "info" | "warn" | "error"> = {
  TRACE: "trace",
  DEBUG: "debug",
  INFO: "info",
  WARN: "warn",
  ERROR: "error",
};

/**
 * Routes the Temporal SDK's logs (worker, workflow and activity loggers) into pino. The SDK puts
 * each activity's task token into the attributes of its log lines; the token lets whoever holds it
 * complete or fail that activity through the client, so it never reaches the logs.
 */
export class PinoSdkLogger implements TemporalLogger {
  constructor(private readonly logger: Logger) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const attributes = { ...meta };
    delete attributes.taskToken;
    this.logger[pinoLevel[level]](attributes, message);
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
