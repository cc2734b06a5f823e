/**
 * bench analytics: the admin analytics queries over 1 000 000 upload_events spread over two years,
 * each for the default range (the last 30 days), against a full scan of the table (count and sum
 * over every row), in the same run and database. Prints each query's plan. Goal: each < 0.1 × full scan.
 */
import knex from "knex";
import { topUploaders, uploadAnalytics, uploadFailures } from "../db/commands/analytics/uploads";
import { createDb } from "../db";
import "../lib/env-file";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const USERS = 2_000;
const DAY = 24 * 3600 * 1000;

function benchDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/coffer");
  url.pathname = `${url.pathname}_bench`;
  return url.toString();
}

async function ensureDatabase(url: string) {
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const server = knex({ client: "pg", connection: admin.toString() });
  const exists = await server.raw("SELECT 1 FROM pg_database WHERE datname = ?", [name]);
  if (exists.rows.length === 0) await server.raw(`CREATE DATABASE "${name}"`);
  await server.destroy();
}

/** Median of `runs` timings of `work`, in milliseconds, after one warm-up run. */
async function median(runs: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    await work();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

async function main() {
  const url = benchDatabaseUrl();
  await ensureDatabase(url);
  const db = createDb(url);
  await db.migrate.latest();

  const { rows } = await db.raw("SELECT count(*)::int AS n FROM upload_events");
  if (rows[0].n !== EVENTS) {
    console.log(`filling upload_events with ${EVENTS} rows over 730 days …`);
    await db.raw("TRUNCATE upload_events, users CASCADE");
    await db.raw(
      `INSERT INTO users (id, email, password_hash, quota_bytes, used_bytes)
       SELECT gen_random_uuid(), 'bench-' || i || '@example.com', 'x', 1e12, (random() * 1e9)::bigint FROM generate_series(1, ?) i`,
      [USERS],
    );
    await db.raw(
      `WITH u AS (SELECT array_agg(id) AS ids FROM users)
       INSERT INTO upload_events (file_id, user_id, type, mime_type, bytes, reason, at)
       SELECT gen_random_uuid(), u.ids[1 + (i % ${USERS})],
              (ARRAY['initiated','completed','failed','scanned_clean','scanned_infected','scan_error'])[1 + (i % 6)],
              (ARRAY['image/png','image/jpeg','application/pdf','text/plain','video/mp4'])[1 + (i % 5)],
              (random() * 1e8)::bigint,
              CASE WHEN i % 6 = 2 THEN (ARRAY['aborted','stale','size_mismatch'])[1 + (i % 3)] END,
              now() - (random() * interval '730 days')
         FROM generate_series(1, ?) i, u`,
      [EVENTS],
    );
    await db.raw("VACUUM ANALYZE upload_events");
    await db.raw("VACUUM ANALYZE users");
  }

  const range = { from: new Date(Date.now() - 30 * DAY), to: new Date() };
  // The cheapest read of every row: one sequential (parallel) scan with a trivial aggregate.
  const fullScan = await median(5, () => db.raw("SELECT count(*), sum(bytes) FROM upload_events"));
  console.log(`\nbench analytics: ${EVENTS} upload_events, range = last 30 days`);
  console.log(`  baseline  full scan of upload_events: ${fullScan.toFixed(1)} ms`);

  const calls: Record<string, () => Promise<unknown>> = {
    "GET /admin/analytics/uploads": () => uploadAnalytics(db, range),
    "GET /admin/uploads/failures": () => uploadFailures(db, range),
    "GET /admin/uploads/top-users": () => topUploaders(db, range, 10),
  };
  for (const [name, call] of Object.entries(calls)) {
    const ms = await median(5, call);
    console.log(`  ours      ${name}: ${ms.toFixed(1)} ms   ratio ${(ms / fullScan).toFixed(3)} (goal < 0.1)`);
  }

  console.log("\nquery plans:");
  const plans: Record<string, [string, unknown[]]> = {
    "analytics by type": [
      "SELECT type, count(*), sum(bytes) FROM upload_events WHERE at >= ? AND at < ? GROUP BY type",
      [range.from, range.to],
    ],
    "analytics by mime": [
      "SELECT mime_type, count(*) FROM upload_events WHERE type = 'initiated' AND at >= ? AND at < ? GROUP BY mime_type",
      [range.from, range.to],
    ],
    failures: [
      "SELECT reason, count(*) FROM upload_events WHERE type = 'failed' AND at >= ? AND at < ? GROUP BY reason",
      [range.from, range.to],
    ],
    "top users": [
      "SELECT user_id, count(*), sum(bytes) FROM upload_events WHERE type = 'completed' AND at >= ? AND at < ? GROUP BY user_id ORDER BY sum(bytes) DESC LIMIT 10",
      [range.from, range.to],
    ],
  };
  for (const [name, [sql, bindings]] of Object.entries(plans)) {
    const plan = await db.raw(`EXPLAIN ${sql}`, bindings as never[]);
    console.log(`  ${name}:`);
    for (const line of plan.rows as { "QUERY PLAN": string }[]) console.log(`    ${line["QUERY PLAN"]}`);
  }
  await db.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
