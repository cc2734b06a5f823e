/**
 * The clients of `bench load`: what one client does, how often, and what the requests answered.
 * Each client loops until the step ends: it picks an action from MIX, runs it, waits 0–2 × the think
 * time, and picks again. An action in flight when the time is up is finished (an upload is never
 * left half done).
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { percentile } from "./common";

/** An account of the bench's own, seeded with folders, files and links. */
export interface LoadAccount {
  id: string;
  email: string;
  password: string;
  /** Seeded files live here; the folder listing reads it. */
  docsFolderId: string;
  /** Uploads go here. */
  inboxFolderId: string;
}

export interface LoadClient {
  account: LoadAccount;
  /** The access token: signed at the start, replaced by each login's. */
  token: string;
}

/** What the clients talk to. */
export interface LoadTargets {
  /** The API's URL with its path (…/api). */
  base: string;
  /** Tokens of links with no download limit: 303 to a presigned GET. */
  redirectTokens: string[];
  /** Tokens of links with a (never reached) download limit: the API streams the bytes. */
  streamTokens: string[];
  /** The bytes of every upload; every seeded file has as many. */
  fileBytes: Buffer;
}

export const OPERATIONS = [
  "login",
  "list root",
  "list folder",
  "list shares",
  "upload start",
  "upload sign",
  "upload PUT (S3)",
  "upload complete",
  "upload abort",
  "share page",
  "share download (303)",
  "share GET (S3)",
  "share download (streamed)",
] as const;
export type OperationName = (typeof OPERATIONS)[number];

/** Requests to S3 rather than to the API: left out of the API's overall figures. */
export const S3_OPERATIONS: ReadonlySet<OperationName> = new Set(["upload PUT (S3)", "share GET (S3)"]);

/** Latencies and answers of one step, by operation. */
export class LoadRecord {
  readonly latencies = new Map<OperationName, number[]>(OPERATIONS.map((op) => [op, []]));
  /** Answers other than the expected one, by status ("network" when none came). */
  readonly unexpected = new Map<OperationName, Map<string, number>>(OPERATIONS.map((op) => [op, new Map()]));
  /** 5xx answers and requests that got no answer at all. */
  failures = 0;
  /** The first few of them, to show what went wrong. */
  readonly failureSamples: string[] = [];

  record(op: OperationName, ms: number, outcome: string | null): void {
    this.latencies.get(op)!.push(ms);
    if (outcome === null) return;
    const counts = this.unexpected.get(op)!;
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  }

  fail(description: string): void {
    this.failures++;
    if (this.failureSamples.length < 20) this.failureSamples.push(description);
  }

  /** Count, p50, p95 and p99 (ms) of the given operations together. */
  summary(ops: readonly OperationName[]): { count: number; p50: number; p95: number; p99: number } {
    const all = ops.flatMap((op) => this.latencies.get(op)!).sort((a, b) => a - b);
    return { count: all.length, p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99) };
  }

  /** How many answers of the given operations had a status ≥ 500. */
  serverErrors(ops: readonly OperationName[] = OPERATIONS): number {
    return ops.reduce(
      (sum, op) =>
        sum + [...this.unexpected.get(op)!].reduce((n, [status, count]) => n + (Number(status) >= 500 ? count : 0), 0),
      0,
    );
  }
}

interface Answer {
  res: Response;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field
  json: any;
}

type BodyHandling = "json" | "drain" | "discard";

/**
 * One timed request: the time runs until the body is read (drained, for a download). Anything but
 * `expected` is recorded by status; a 5xx or no answer at all is a failure too. Null unless expected.
 */
async function call(
  record: LoadRecord,
  op: OperationName,
  url: string,
  init: RequestInit,
  expected: number,
  body: BodyHandling = "json",
  expectedBytes?: number,
): Promise<Answer | null> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  try {
    const res = await fetch(url, init);
    if (res.status !== expected) {
      const text = await res.text();
      record.record(op, elapsed(), String(res.status));
      if (res.status >= 500) record.fail(`${op}: ${res.status} ${text.slice(0, 300)}`);
      return null;
    }
    let json: unknown;
    if (body === "json") json = await res.json();
    else if (body === "discard") await res.body?.cancel();
    else {
      let bytes = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
      if (expectedBytes !== undefined && bytes !== expectedBytes) {
        record.record(op, elapsed(), "short body");
        record.fail(`${op}: ${bytes} of ${expectedBytes} bytes`);
        return null;
      }
    }
    record.record(op, elapsed(), null);
    return { res, json };
  } catch (error) {
    record.record(op, elapsed(), "network");
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    record.fail(`${op}: no answer (${cause?.code ?? cause?.message ?? String(error)})`);
    return null;
  }
}

const json = (client: LoadClient, method: string, body?: unknown): RequestInit => ({
  method,
  headers: { Authorization: `Bearer ${client.token}`, "Content-Type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
});

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

type Action = (client: LoadClient, targets: LoadTargets, record: LoadRecord) => Promise<void>;

const login: Action = async (client, { base }, record) => {
  const { email, password } = client.account;
  const answer = await call(
    record,
    "login",
    `${base}/auth/login`,
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email, password }) },
    200,
  );
  if (answer) client.token = answer.json.accessToken;
};

const listRoot: Action = async (client, { base }, record) => {
  await call(record, "list root", `${base}/folders/root`, json(client, "GET"), 200);
};

const listFolder: Action = async (client, { base }, record) => {
  const { docsFolderId, inboxFolderId } = client.account;
  await call(record, "list folder", `${base}/folders/${pick([docsFolderId, inboxFolderId])}`, json(client, "GET"), 200);
};

const listShares: Action = async (client, { base }, record) => {
  await call(record, "list shares", `${base}/shares`, json(client, "GET"), 200);
};

/** start → sign (unless the start answer signed the part) → PUT → complete; aborted if a step fails. */
const upload: Action = async (client, { base, fileBytes }, record) => {
  const started = await call(
    record,
    "upload start",
    `${base}/files/uploads`,
    json(client, "POST", {
      name: `${randomUUID()}.bin`,
      sizeBytes: fileBytes.length,
      mimeType: "application/octet-stream",
      folderId: client.account.inboxFolderId,
    }),
    201,
  );
  if (!started) return;
  const id: string = started.json.file.id;
  const abort = () =>
    call(record, "upload abort", `${base}/files/${id}/upload`, json(client, "DELETE"), 204, "discard");
  // A start answer that carries the part's URL needs no sign request (as the web client does).
  const signed =
    started.json.parts ??
    (await call(record, "upload sign", `${base}/files/${id}/parts`, json(client, "POST", { partNumbers: [1] }), 200))
      ?.json.parts;
  if (!signed) return void (await abort());
  const put = await call(record, "upload PUT (S3)", signed[0].url, { method: "PUT", body: fileBytes }, 200, "discard");
  if (!put) return void (await abort());
  const parts = [{ partNumber: 1, etag: put.res.headers.get("etag") }];
  const completed = await call(
    record,
    "upload complete",
    `${base}/files/${id}/complete`,
    json(client, "POST", { parts }),
    202,
  );
  if (!completed) await abort();
};

const sharePage: Action = async (_client, { base, redirectTokens, streamTokens }, record) => {
  const token = pick(Math.random() < 0.5 ? redirectTokens : streamTokens);
  await call(record, "share page", `${base}/s/${token}`, { method: "GET" }, 200);
};

const downloadInit: RequestInit = {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: "{}",
  redirect: "manual",
};

/** A link with no limit: the API's 303, then the bytes from S3 as a browser would follow it. */
const shareDownloadRedirected: Action = async (_client, { base, redirectTokens, fileBytes }, record) => {
  const answer = await call(
    record,
    "share download (303)",
    `${base}/s/${pick(redirectTokens)}/download`,
    downloadInit,
    303,
    "discard",
  );
  if (!answer) return;
  await call(record, "share GET (S3)", answer.res.headers.get("location")!, {}, 200, "drain", fileBytes.length);
};

const shareDownloadStreamed: Action = async (_client, { base, streamTokens, fileBytes }, record) => {
  const url = `${base}/s/${pick(streamTokens)}/download`;
  await call(record, "share download (streamed)", url, downloadInit, 200, "drain", fileBytes.length);
};

/**
 * What clients do, by weight (of 100): mostly browsing their folders and opening links, some
 * downloads, a few uploads, rarely a login (a real client logs in once a session; each login costs an
 * argon2 verify of 64 MiB).
 */
const MIX: readonly [weight: number, action: Action][] = [
  [25, listRoot],
  [20, listFolder],
  [5, listShares],
  [25, sharePage],
  [12, shareDownloadRedirected],
  [8, shareDownloadStreamed],
  [4, upload],
  [1, login],
];
const TOTAL_WEIGHT = MIX.reduce((sum, [weight]) => sum + weight, 0);

/** The mix as text, for the bench's header. */
export const MIX_DESCRIPTION =
  "25 % list root, 20 % list a folder, 5 % list shares, 25 % share page, 12 % share download (303 → S3), " +
  "8 % share download (streamed), 4 % upload (start → [sign] → PUT → complete), 1 % login";

function nextAction(): Action {
  let roll = Math.random() * TOTAL_WEIGHT;
  for (const [weight, action] of MIX) {
    roll -= weight;
    if (roll < 0) return action;
  }
  return MIX[MIX.length - 1][1];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One client until `until` (epoch ms): actions from the mix, 0–2 × thinkMs apart (random, mean thinkMs). */
export async function runClient(
  client: LoadClient,
  targets: LoadTargets,
  record: LoadRecord,
  until: number,
  thinkMs: number,
): Promise<void> {
  // Clients start spread over one think time rather than all in the same millisecond.
  await sleep(Math.random() * thinkMs);
  while (Date.now() < until) {
    await nextAction()(client, targets, record);
    await sleep(Math.random() * 2 * thinkMs);
  }
}
