import { existsSync, readFileSync } from "node:fs";
import { sleep } from "./services";

const MiB = 1024 * 1024;
const CLIENTS = 20;
const UPLOADS = 200;
const SCANNER_LIMIT = 45 * MiB;
const EICAR = Buffer.from("X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*");
const CLAMAV_TEST_FILE = "/usr/share/clamav-testfiles/clam.exe";

/** The seeded generator of the whole plan (mulberry32): the same seed, the same plan. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = "empty" | "one_byte" | "near_part" | "forty_mib" | "eicar" | "clamav_test" | "over_limit" | "small";
type Action = "share" | "trash_restore" | "delete" | "download" | "none";

interface UploadSpec {
  index: number;
  kind: Kind;
  sizeBytes: number;
  action: Action;
}

export type FaultKind = "kill_worker" | "stop_clamd" | "restart_temporal" | "restart_minio" | "kill_api";

export interface Plan {
  seed: number;
  clients: number;
  uploads: UploadSpec[];
  faults: { kind: FaultKind; atMs: number }[];
}

/** Sizes and actions of the 200 uploads and the fault timeline, all from the seed. */
export function planRun(seed: number): Plan {
  const rng = random(seed);
  const kinds: [Kind, number][] = [
    ["empty", 8],
    ["one_byte", 8],
    ["near_part", 24],
    ["forty_mib", 6],
    ["eicar", 10],
    ["clamav_test", existsSync(CLAMAV_TEST_FILE) ? 10 : 0],
    ["over_limit", 3],
  ];
  const list: Kind[] = kinds.flatMap(([kind, n]) => Array.from({ length: n }, () => kind));
  while (list.length < UPLOADS) list.push("small");
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  const actions: Action[] = ["share", "share", "share", "trash_restore", "delete", "download", "none"];
  const uploads = list.map((kind, index) => {
    const sizeBytes = {
      empty: 0,
      one_byte: 1,
      // 5 MiB − 1, 5 MiB, 5 MiB + 1: around the part size.
      near_part: 5 * MiB + (index % 3) - 1,
      forty_mib: 40 * MiB,
      eicar: EICAR.length,
      clamav_test: kind === "clamav_test" ? readFileSync(CLAMAV_TEST_FILE).length : 0,
      over_limit: SCANNER_LIMIT + MiB,
      small: 1 + Math.floor(rng() * 256 * 1024),
    }[kind];
    return { index, kind, sizeBytes, action: actions[Math.floor(rng() * actions.length)] };
  });
  const jitter = () => Math.floor(rng() * 8000);
  const faults: Plan["faults"] = [
    { kind: "kill_worker", atMs: 15_000 + jitter() },
    { kind: "stop_clamd", atMs: 30_000 + jitter() },
    { kind: "kill_worker", atMs: 100_000 + jitter() },
    { kind: "restart_temporal", atMs: 115_000 + jitter() },
    { kind: "restart_minio", atMs: 135_000 + jitter() },
    { kind: "kill_api", atMs: 150_000 + jitter() },
    { kind: "kill_worker", atMs: 165_000 + jitter() },
  ];
  return { seed, clients: CLIENTS, uploads, faults };
}

/** What the clients did and saw. */
export interface Tally {
  uploadsPlanned: number;
  uploadsCompleted: number;
  uploadsGivenUp: number;
  abortedAtEnd: number;
  trashed: number;
  restored: number;
  deleted: number;
  downloads: number;
  oneTimeShares: { shareId: string; served: number }[];
  /** Answers by HTTP status (0: no answer). */
  statuses: Record<string, number>;
  /** 5xx answers by route. */
  serverErrors: Record<string, number>;
  /** The end each kind of file must reach. */
  expected: Record<string, { statuses: string[]; fileIds: string[] }>;
  finalStatuses: Record<string, number>;
  violations: number;
  /** Secrets the clients handled (access tokens, share tokens, presigned URLs): none may reach a log. */
  secrets: Set<string>;
}

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
}

/** The bytes of one upload: distinct per file, seeded. */
function contentOf(spec: UploadSpec, seed: number): Buffer {
  if (spec.kind === "eicar") return EICAR;
  if (spec.kind === "clamav_test") return readFileSync(CLAMAV_TEST_FILE);
  const bytes = Buffer.alloc(spec.sizeBytes);
  const rng = random(seed ^ (spec.index * 2654435761));
  const words = Math.floor(spec.sizeBytes / 4);
  const view = new Uint32Array(bytes.buffer, bytes.byteOffset, words);
  for (let i = 0; i < words; i += 1024) view[i] = Math.floor(rng() * 2 ** 32);
  for (let i = words * 4; i < spec.sizeBytes; i++) bytes[i] = Math.floor(rng() * 256);
  return bytes;
}

/** 20 clients, each with its share of the plan's uploads and the follow-up actions on their files. */
export async function runClients(props: {
  plan: Plan;
  origin: string;
  users: { password: string; clients: { id: string; email: string }[] };
  faultsDone: Promise<void>;
}): Promise<Tally> {
  const { plan, origin } = props;
  const tally: Tally = {
    uploadsPlanned: plan.uploads.length,
    uploadsCompleted: 0,
    uploadsGivenUp: 0,
    abortedAtEnd: 0,
    trashed: 0,
    restored: 0,
    deleted: 0,
    downloads: 0,
    oneTimeShares: [],
    statuses: {},
    serverErrors: {},
    expected: {
      clean: { statuses: ["ready"], fileIds: [] },
      infected: { statuses: ["quarantined"], fileIds: [] },
      "over the scanner limit": { statuses: ["rejected"], fileIds: [] },
    },
    finalStatuses: {},
    violations: 0,
    secrets: new Set([props.users.password]),
  };
  let faultsOver = false;
  void props.faultsDone.then(() => (faultsOver = true));

  async function call(
    token: string | null,
    method: string,
    path: string,
    body?: unknown,
    route = path.replace(/[0-9a-f-]{36}/g, ":id").replace(/\/s\/[^/]+/, "/s/:token"),
  ): Promise<Answer> {
    try {
      const res = await fetch(`${origin}${path}`, {
        method,
        redirect: "manual",
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(120_000),
      });
      const text = await res.text();
      tally.statuses[res.status] = (tally.statuses[res.status] ?? 0) + 1;
      if (res.status >= 500)
        tally.serverErrors[`${method} ${route}`] = (tally.serverErrors[`${method} ${route}`] ?? 0) + 1;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // a file body
      }
      return { status: res.status, body: parsed, headers: res.headers };
    } catch {
      tally.statuses[0] = (tally.statuses[0] ?? 0) + 1;
      return { status: 0, body: undefined, headers: new Headers() };
    }
  }

  /** Repeats a call while the service does not answer or answers 5xx (a fault in progress), up to 3 minutes. */
  async function retrying(attempt: () => Promise<Answer>): Promise<Answer> {
    const deadline = Date.now() + 180_000;
    for (let wait = 250; ; wait = Math.min(wait * 2, 4000)) {
      const answer = await attempt();
      if ((answer.status !== 0 && answer.status < 500) || Date.now() > deadline) return answer;
      await sleep(wait);
    }
  }

  async function login(email: string): Promise<string> {
    const answer = await retrying(() => call(null, "POST", "/auth/login", { email, password: props.users.password }));
    if (answer.status !== 200) throw new Error(`login of ${email} answered ${answer.status}`);
    tally.secrets.add(answer.body.accessToken as string);
    return answer.body.accessToken as string;
  }

  async function putPart(token: string, fileId: string, partNumber: number, chunk: Buffer): Promise<string | null> {
    for (let attempt = 0; attempt < 40; attempt++) {
      const signed = await retrying(() => call(token, "POST", `/files/${fileId}/parts`, { partNumbers: [partNumber] }));
      if (signed.status !== 200) return null;
      tally.secrets.add(new URL(signed.body.parts[0].url).searchParams.get("X-Amz-Signature") ?? "");
      try {
        const res = await fetch(signed.body.parts[0].url, {
          method: "PUT",
          body: chunk,
          signal: AbortSignal.timeout(120_000),
        });
        await res.arrayBuffer();
        if (res.status === 200) return res.headers.get("etag");
      } catch {
        // MinIO away: sign again and retry
      }
      await sleep(1000);
    }
    return null;
  }

  async function upload(token: string, spec: UploadSpec): Promise<string | null> {
    const bytes = contentOf(spec, plan.seed);
    let name = `chaos-${spec.index}.bin`;
    let init: Answer | undefined;
    for (let attempt = 0; attempt < 5; attempt++) {
      init = await retrying(() =>
        call(token, "POST", "/files/uploads", { name, sizeBytes: bytes.length, mimeType: "application/octet-stream" }),
      );
      // An earlier attempt committed but its answer was lost (API killed): that upload is left open.
      if (init.status === 409 && init.body?.error?.code === "name_taken") {
        name = `chaos-${spec.index}-retry${attempt}.bin`;
        continue;
      }
      if (init.status === 429) {
        await sleep(2000);
        continue;
      }
      break;
    }
    if (init?.status !== 201) {
      tally.uploadsGivenUp += 1;
      return null;
    }
    const fileId: string = init.body.file.id;
    const { partSize, partCount } = init.body as { partSize: number; partCount: number };
    const parts: { partNumber: number; etag: string }[] = [];
    for (let partNumber = 1; partNumber <= partCount; partNumber++) {
      const chunk = bytes.subarray((partNumber - 1) * partSize, partNumber * partSize);
      const etag = await putPart(token, fileId, partNumber, chunk);
      if (!etag) {
        tally.uploadsGivenUp += 1;
        await retrying(() => call(token, "DELETE", `/files/${fileId}/upload`));
        return null;
      }
      parts.push({ partNumber, etag });
    }
    const complete = await retrying(() => call(token, "POST", `/files/${fileId}/complete`, { parts }));
    if (complete.status !== 202) {
      tally.uploadsGivenUp += 1;
      await retrying(() => call(token, "DELETE", `/files/${fileId}/upload`));
      return null;
    }
    tally.uploadsCompleted += 1;
    const expected =
      spec.kind === "eicar" || spec.kind === "clamav_test"
        ? "infected"
        : spec.kind === "over_limit"
          ? "over the scanner limit"
          : "clean";
    tally.expected[expected].fileIds.push(fileId);
    return fileId;
  }

  /** One parallel burst of downloads of a fresh maxDownloads=1 link: exactly one may be served. */
  async function shareOnce(token: string, fileId: string): Promise<void> {
    const created = await retrying(() => call(token, "POST", "/shares", { fileId, maxDownloads: 1 }));
    if (created.status !== 201) return;
    const shareToken = String(created.body.url).split("/s/")[1];
    tally.secrets.add(shareToken);
    const record = { shareId: created.body.share.id as string, served: 0 };
    tally.oneTimeShares.push(record);
    await Promise.all(
      [0, 1, 2].map(async () => {
        const answer = await retrying(() => call(null, "POST", `/s/${shareToken}/download`, {}));
        if (answer.status === 200) record.served += 1;
      }),
    );
  }

  async function followUp(token: string, fileId: string, action: Action): Promise<"done" | "later"> {
    const got = await retrying(() => call(token, "GET", `/files/${fileId}`));
    if (got.status !== 200) return "done";
    const status: string = got.body.file.status;
    if (status === "processing") return "later";
    if (status !== "ready") return "done";
    switch (action) {
      case "share":
        await shareOnce(token, fileId);
        break;
      case "trash_restore":
        if ((await retrying(() => call(token, "DELETE", `/files/${fileId}`))).status === 200) tally.trashed += 1;
        if ((await retrying(() => call(token, "POST", `/files/${fileId}/restore`))).status === 200) tally.restored += 1;
        break;
      case "delete": {
        const answer = await retrying(() => call(token, "DELETE", `/files/${fileId}?permanent=true`));
        // 404 after a retry: the first attempt committed and its answer was lost.
        if (answer.status === 204 || answer.status === 404) tally.deleted += 1;
        break;
      }
      case "download": {
        const answer = await retrying(() => call(token, "GET", `/files/${fileId}/download`));
        const location = answer.headers.get("location");
        if (answer.status === 302 && location) {
          const res = await fetch(location).catch(() => null);
          if (res?.ok) {
            await res.arrayBuffer();
            tally.downloads += 1;
          }
        }
        break;
      }
      case "none":
        break;
    }
    return "done";
  }

  async function client(index: number): Promise<void> {
    const user = props.users.clients[index];
    const token = await login(user.email);
    const mine = plan.uploads.filter((spec) => spec.index % plan.clients === index);
    let pending: { fileId: string; action: Action }[] = [];
    const drain = async () => {
      const next: typeof pending = [];
      for (const item of pending) if ((await followUp(token, item.fileId, item.action)) === "later") next.push(item);
      pending = next;
    };
    for (const spec of mine) {
      const fileId = await upload(token, spec);
      if (fileId) pending.push({ fileId, action: spec.action });
      await drain();
    }
    // Keep working (listings, follow-ups) while faults go on, then until every follow-up is done.
    const deadline = () => faultsOver && Date.now() > drainDeadline;
    let drainDeadline = Infinity;
    while (!faultsOver || (pending.length && !deadline())) {
      if (faultsOver && drainDeadline === Infinity) drainDeadline = Date.now() + 240_000;
      await retrying(() => call(token, "GET", "/folders/root"));
      await drain();
      await sleep(1000);
    }
  }

  await Promise.all(Array.from({ length: plan.clients }, (_, index) => client(index)));
  return tally;
}
