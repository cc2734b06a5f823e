import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { z } from "zod";
import { createApp } from "./app";
import { createHttpServer } from "./http-server";
import { apiPathOf } from "./route-table";
import type { AppDeps } from "./deps";
import { routeTable } from "./routes";
import type { Operation } from "./route-table";
import { checkInvariants } from "../lib/invariants";
import { closeDeps, createTestDeps, type TestServer } from "../test/deps";
import { createUser, type TestUser } from "../test/factories";

/**
 * The fuzz suite of SPEC §9: every operation of the route table (the OpenAPI document's source) gets
 * generated malformed params, queries, bodies and headers. Every answer must be below 500, and every
 * refusal a 4xx with the error envelope of SPEC §6; afterwards the invariant checker finds nothing
 * wrong with the accounts that sent them. FUZZ_SEED=<seed> replays a run (the seed is printed).
 */
const seed = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runsPerOperation = Number(process.env.FUZZ_RUNS ?? 20);

/** Strings that break naive code: huge, unicode, control characters, injections, numbers in disguise. */
const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "../../etc/passwd",
    "%00",
    "' OR 1=1 --",
    "NaN",
    "-1",
    "1e309",
    "0x10",
    "😀".repeat(300),
    "\u202e\u0301",
    "a".repeat(70_000),
    "null",
    "[]",
    "{}",
  ),
);
const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, 1.5, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, 1e308),
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(nastyString, nastyNumber), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(nastyString, nastyNumber), { maxKeys: 4 }),
);

/** The field names an operation's input schema knows, per part (so generated input hits them). */
function fieldsOf(op: Operation, part: "body" | "query" | "params"): string[] {
  const inner: unknown = op.input instanceof z.ZodObject ? op.input.shape[part] : undefined;
  const unwrapped = inner instanceof z.ZodOptional || inner instanceof z.ZodDefault ? inner.unwrap() : inner;
  return unwrapped instanceof z.ZodObject ? Object.keys(unwrapped.shape) : [];
}

/** A body: known fields with wrong values, missing fields, extra fields, or not an object at all. */
function bodyOf(op: Operation): fc.Arbitrary<{ text: string; contentType: string | null }> {
  const known = fieldsOf(op, "body");
  const keys = known.length
    ? fc.constantFrom(...known, "extra", "__proto__", "constructor")
    : fc.string({ maxLength: 8 });
  const object = fc.dictionary(keys, nastyValue, { maxKeys: 6 });
  const json = fc.oneof(object, nastyValue).map((value) => JSON.stringify(value) ?? "null");
  const broken = fc.constantFrom("{", '{"a":', "nul", "[1,2", "\u0000", "{'single': 1}", "", "1".repeat(400));
  const contentType = fc.constantFrom(
    "application/json",
    "application/json",
    "application/json; charset=latin1",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/xml",
    null,
  );
  return fc.record({ text: fc.oneof(json, json, broken), contentType });
}

function queryOf(op: Operation): fc.Arbitrary<string> {
  const known = fieldsOf(op, "query");
  const keys = fc.constantFrom(...known, "extra", "cursor", "limit");
  return fc
    .array(fc.tuple(keys, fc.oneof(nastyString, nastyNumber.map(String))), { maxLength: 5 })
    .map((pairs) =>
      new URLSearchParams(pairs.map(([key, value]): [string, string] => [key, String(value)])).toString(),
    );
}

const paramValue = fc.oneof(
  fc.uuid(),
  fc.constantFrom("00000000-0000-0000-0000-000000000000", "not-a-uuid", "-1", "1.5", "%", "a".repeat(5000), "😀"),
  fc.string({ minLength: 1, maxLength: 30 }),
);

interface Caller {
  deps: AppDeps;
  server: TestServer;
  user: TestUser;
  admin: TestUser;
}

function urlOf(server: TestServer, op: Operation, params: string[], query: string): string {
  let index = 0;
  const path = op.path.replace(/:[A-Za-z]+/g, () => encodeURIComponent(params[index++] ?? "x"));
  return `${op.atRoot ? server.origin : server.url}${path}${query ? `?${query}` : ""}`;
}

async function expectRefusedCleanly(res: Response, what: string): Promise<void> {
  const text = await res.text();
  if (res.status >= 500) throw new Error(`${what} answered ${res.status}: ${text.slice(0, 300)}`);
  if (res.status >= 400 && res.headers.get("content-type")?.includes("application/json")) {
    const body = JSON.parse(text);
    if (typeof body?.error?.code !== "string" || typeof body?.error?.message !== "string" || !body.requestId)
      throw new Error(`${what} answered ${res.status} without the error envelope: ${text.slice(0, 300)}`);
  } else if (res.status >= 400 && res.status !== 405) {
    throw new Error(
      `${what} answered ${res.status} with ${res.headers.get("content-type")}, not the JSON error envelope`,
    );
  }
}

describe(`fuzzing every operation of the route table (FUZZ_SEED=${seed})`, () => {
  const caller = {} as Caller;
  beforeAll(async () => {
    console.log(`fuzz: FUZZ_SEED=${seed}, ${runsPerOperation} runs per operation`);
    Object.assign(process.env, {
      RATE_LIMIT_PREFIX: `coffer:test:fuzz:${randomUUID()}`,
      RATE_LIMIT_AUTH_PER_MINUTE: "1000000",
      RATE_LIMIT_ADMIN_PER_MINUTE: "1000000",
      RATE_LIMIT_PUBLIC_PER_MINUTE: "1000000",
      RATE_LIMIT_UPLOAD_PER_MINUTE: "1000000",
      RATE_LIMIT_SHARE_PASSWORD_PER_MINUTE: "1000000",
    });
    caller.deps = await createTestDeps();
    // The production server (api/http-server.ts): Node's own refusals answer with the error body too.
    const server = createHttpServer(createApp(caller.deps), caller.deps.config).listen(0, "127.0.0.1");
    await new Promise<void>((resolve) => server.once("listening", resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    caller.server = {
      origin,
      url: `${origin}${apiPathOf(caller.deps.config.API_URL)}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
    caller.user = await createUser(caller.deps);
    caller.admin = await createUser(caller.deps, { role: "admin" });
  });
  afterAll(async () => {
    await caller.server.close();
    await closeDeps(caller.deps);
  });

  const operations = routeTable;
  it.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
    "%s answers malformed input with a 4xx and the error envelope, never a 5xx",
    async (_name, op) => {
      const paramCount = (op.path.match(/:[A-Za-z]+/g) ?? []).length;
      const auth = fc.constantFrom<"none" | "garbage" | "user" | "admin">("none", "garbage", "user", "admin");
      await fc.assert(
        fc.asyncProperty(
          fc.array(paramValue, { minLength: paramCount, maxLength: paramCount }),
          queryOf(op),
          bodyOf(op),
          auth,
          async (params, query, body, who) => {
            const headers: Record<string, string> = {};
            if (body.contentType) headers["Content-Type"] = body.contentType;
            if (who === "garbage") headers.Authorization = "Bearer not.a.jwt";
            if (who === "user") headers.Authorization = `Bearer ${caller.user.token}`;
            if (who === "admin") headers.Authorization = `Bearer ${caller.admin.token}`;
            const sendsBody = op.method !== "get";
            const url = urlOf(caller.server, op, params, query);
            const res = await fetch(url, {
              method: op.method.toUpperCase(),
              headers,
              body: sendsBody ? body.text : undefined,
              redirect: "manual",
            });
            await expectRefusedCleanly(res, `${op.method.toUpperCase()} ${url.slice(0, 200)} (${who})`);
          },
        ),
        { seed: seed ^ hash(op.operationId), numRuns: runsPerOperation, endOnFailure: true },
      );
    },
  );

  it("refuses a 10 MiB body on every operation that takes one with a 4xx, never a 5xx", async () => {
    const huge = JSON.stringify({ name: "x".repeat(10 * 1024 * 1024) });
    for (const op of operations.filter((candidate) => candidate.method !== "get")) {
      const params = (op.path.match(/:[A-Za-z]+/g) ?? []).map(() => randomUUID());
      const url = urlOf(caller.server, op, params, "");
      const res = await fetch(url, {
        method: op.method.toUpperCase(),
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${caller.user.token}` },
        body: huge,
      }).catch((error: unknown) => ({ error }) as const);
      // The server may close the connection on a body past its limit: that is a refusal too.
      if ("error" in res) continue;
      await expectRefusedCleanly(res, `${op.method.toUpperCase()} ${op.path} with 10 MiB`);
    }
  });

  it("leaves the accounts that sent all this consistent (SPEC §11)", async () => {
    const violations = await checkInvariants(
      { db: caller.deps.db, storage: caller.deps.storage, temporal: caller.deps.temporal },
      { staleUploadMs: 3_600_000, graceMs: 0, ownerIds: [caller.user.user.id, caller.admin.user.id] },
    );
    expect(violations).toEqual([]);
  });
});

/** A stable small number per operation, so each gets its own stream of cases from one seed. */
function hash(text: string): number {
  let h = 0;
  for (const char of text) h = (Math.imul(h, 31) + char.charCodeAt(0)) | 0;
  return h;
}
