import type { Client } from "@temporalio/client";
import type { Redis } from "ioredis";
import type { Knex } from "knex";
import type { Registry } from "prom-client";
import type { ClamdClient } from "../lib/clamd";
import type { Config } from "../lib/config";
import type { Logger } from "../lib/logger";
import type { Mailer } from "../lib/mailer";
import type { ApiMetrics } from "../lib/metrics";
import type { Storage } from "../lib/s3";
import type { UrlSigner } from "../lib/s3-url-signer";
import type { FileStatusWaits } from "./file-status-waits";

/** Everything the API talks to, built once by server.ts (or by a test). */
export interface AppDeps {
  config: Config;
  logger: Logger;
  db: Knex;
  redis: Redis;
  storage: Storage;
  /** Signs the URLs handed to clients, never with the server's own key. */
  urls: UrlSigner;
  clamd: ClamdClient;
  mailer: Mailer;
  temporal: Client;
  registry: Registry;
  /** Requests waiting for a file's status to change (GET /files/:id?waitSeconds=). */
  fileWaits: FileStatusWaits;
  metrics: ApiMetrics;
}
