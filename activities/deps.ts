import type { Client } from "@temporalio/client";
import type { Knex } from "knex";
import type { ClamdClient } from "../lib/clamd";
import type { Config } from "../lib/config";
import type { Mailer } from "../lib/mailer";
import type { WorkerMetrics } from "../lib/metrics";
import type { Storage } from "../lib/s3";

/** What activities may use; built once by the worker (or a test), never read from module globals. */
export interface ActivityDeps {
  config: Config;
  db: Knex;
  storage: Storage;
  clamd: ClamdClient;
  /** Notification mails (owner notices, detection alerts). */
  mailer: Mailer;
  metrics: WorkerMetrics;
  /** Starts workflows and asks whether one runs (housekeeping restarts stuck FileLifecycles). */
  temporal: Client;
}
