/**
 * `pnpm check:invariants [--grace-seconds N] [--stale-minutes N] [--page-size N] [--no-temporal] [--user <id>]…`:
 * checks SPEC §11 on the database and bucket of the environment (.env or the process's own), prints
 * every violation with the ids involved, and exits 1 when there is any (2 when the check itself
 * failed). Read-only: every database session is read-only, and S3 and Temporal are only listed and
 * described. Paged, so memory stays flat on millions of rows. docs/reliability.md says how to run it.
 */
import "../lib/env-file";
import { parseArgs } from "node:util";
import type { Duration } from "@temporalio/common";
import { msToNumber } from "@temporalio/common/lib/time";
import knex from "knex";
import { loadConfigOrExit } from "../lib/config";
import { findViolations, formatViolation } from "../lib/invariants";
import { Storage } from "../lib/s3";
import { createTemporalClient } from "../lib/temporal";
import { pendingDeletionKeys } from "./commands/files/object-deletions";
import { knexConfig } from "./knexfile";

const MINUTE = 60_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      "grace-seconds": { type: "string", default: "300" },
      "stale-minutes": { type: "string" },
      "page-size": { type: "string", default: "500" },
      "no-temporal": { type: "boolean", default: false },
      user: { type: "string", multiple: true },
    },
  });
  const config = loadConfigOrExit();
  const base = knexConfig(config.DATABASE_URL, { min: 0, max: 4 });
  const db = knex({
    ...base,
    pool: {
      ...base.pool,
      afterCreate: (
        connection: { query: (sql: string, done: (error?: Error) => void) => void },
        done: (error?: Error) => void,
      ) => connection.query("SET default_transaction_read_only = on", done),
    },
  });
  const storage = new Storage({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY,
    secretAccessKey: config.S3_SECRET_KEY,
    bucket: config.S3_BUCKET,
  });
  const temporal = values["no-temporal"] ? undefined : createTemporalClient(config);
  const staleMinutes = values["stale-minutes"] === undefined ? undefined : Number(values["stale-minutes"]);
  let count = 0;
  const byInvariant = new Map<number, number>();
  try {
    for await (const violation of findViolations(
      { db, storage, temporal },
      {
        // An upload may sit one housekeeping period past its stale limit before the schedule aborts it.
        staleUploadMs:
          staleMinutes === undefined
            ? config.UPLOAD_STALE_MINUTES * MINUTE + msToNumber(config.UPLOAD_HOUSEKEEPING_INTERVAL as Duration)
            : staleMinutes * MINUTE,
        graceMs: Number(values["grace-seconds"]) * 1000,
        pageSize: Number(values["page-size"]),
        ownerIds: values.user,
        pendingDeletions: (keys) => pendingDeletionKeys(db, keys),
      },
    )) {
      count += 1;
      byInvariant.set(violation.invariant, (byInvariant.get(violation.invariant) ?? 0) + 1);
      console.log(formatViolation(violation));
    }
  } finally {
    await db.destroy();
    storage.destroy();
    await temporal?.connection.close().catch(() => undefined);
  }
  const summary = [...byInvariant].map(([invariant, n]) => `${n} of invariant ${invariant}`).join(", ");
  console.log(count ? `${count} violations: ${summary}` : "invariants hold: no violations");
  return count ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("check:invariants could not finish:", error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
