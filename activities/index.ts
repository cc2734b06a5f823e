import type { Knex } from "knex";
import type { Registry } from "prom-client";
import type { ClamdClient } from "../lib/clamd";
import type { Config } from "../lib/config";
import type { Storage } from "../lib/s3";

/** What activities may use; built once by the worker, never read from module globals. */
export interface ActivityDeps {
  config: Config;
  db: Knex;
  storage: Storage;
  clamd: ClamdClient;
  registry: Registry;
}

export function createActivities(_deps: ActivityDeps) {
  return {};
}

export type Activities = ReturnType<typeof createActivities>;
