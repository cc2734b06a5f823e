import Router from "@koa/router";
import type { Middleware, Next } from "koa";
import { z, type ZodType } from "zod";
import type { AppContext, AppExtensions, AppState } from "./context";
import { requireAdmin, requireUser } from "./middleware/auth";
import { requireJsonBody } from "./middleware/body";
import { type RateLimitKind, rateLimit, rateLimitWhen } from "./middleware/rate-limit";
import { sameOriginFraming } from "./middleware/security-headers";
import { validate } from "./middleware/validate";

/**
 * The API as a table: each operation declared once drives the router (auth, rate limit, validation,
 * handler, response shaping) and the OpenAPI document (api/openapi.ts), so the two cannot drift.
 */
export type Auth = "public" | "user" | "admin";
export type Method = "get" | "post" | "put" | "patch" | "delete";

/** What one status of an operation answers. */
export interface ResponseSpec {
  description: string;
  /** JSON body; every response goes through it, so a field it does not name never leaves the server. */
  body?: ZodType;
  /** A body that is not JSON (a file download): its media type. */
  mediaType?: string;
  /** Response headers worth documenting (Location of a redirect, Retry-After …). */
  headers?: Record<string, string>;
}

/** An error an operation answers with the SPEC §6 error body: status and code. */
export type ErrorSpec = readonly [status: number, code: string, description?: string];

export interface Operation<Input extends ZodType = ZodType> {
  /** Unique, camelCase: the name generated clients call the operation by. */
  operationId: string;
  method: Method;
  /** Koa path relative to the API's mount point (API_URL's path): `/files/:id`. */
  path: string;
  /** Served at the server's root instead of under the API's path (/health and /metrics, for probes). */
  atRoot?: boolean;
  summary: string;
  description?: string;
  tag: string;
  auth: Auth;
  rateLimit?: RateLimitKind;
  /** Apply the rate limit only to requests this accepts (it sees the validated input). */
  rateLimitIf?: (ctx: AppContext) => boolean;
  /** z.object({ params?, query?, body? }): parsed into ctx.input by validate(). */
  input?: Input;
  /** Also take the body as a form (application/x-www-form-urlencoded); every other operation takes JSON only. */
  acceptsForm?: boolean;
  /**
   * Our own pages may load this operation's answers into a frame (X-Frame-Options SAMEORIGIN,
   * frame-ancestors 'self'): the share page posts its download form into a hidden frame and reads
   * an error from there. Every other answer may be framed by no one.
   */
  framedBySameOrigin?: boolean;
  /** Examples of the request body, keyed by name (the upload flow's are in the document). */
  examples?: Record<string, unknown>;
  responses: Record<number, ResponseSpec>;
  /** Errors beyond the ones auth, rate limits and validation add by themselves. */
  errors?: readonly ErrorSpec[];
  handler: (ctx: AppContext<z.infer<Input>>) => Promise<void>;
}

/** Declares an operation; the identity function that lets TypeScript infer ctx.input from `input`. */
export function operation<Input extends ZodType>(op: Operation<Input>): Operation {
  return op as Operation;
}

/** Rate-limit classes counted per user run after authentication; the rest (per IP) before it. */
const perUser = new Set<RateLimitKind>(["upload", "sharePassword"]);

function middlewareOf(op: Operation): Middleware[] {
  const auth = op.auth === "public" ? [] : op.auth === "user" ? [requireUser()] : [requireUser(), requireAdmin()];
  const limit = op.rateLimit && !op.rateLimitIf ? [rateLimit(op.rateLimit)] : [];
  const chain = op.rateLimit && perUser.has(op.rateLimit) ? [...auth, ...limit] : [...limit, ...auth];
  if (op.framedBySameOrigin) chain.unshift(sameOriginFraming());
  // Browsers post forms and text/plain across sites without a CORS preflight; JSON needs one.
  if (!op.acceptsForm) chain.push(requireJsonBody());
  if (op.input) chain.push(validate(op.input));
  if (op.rateLimit && op.rateLimitIf) chain.push(rateLimitWhen(op.rateLimit, op.rateLimitIf));
  return [...chain, shapeResponse(op), op.handler] as Middleware[];
}

/** Registers every operation of the table on a router: under `apiPath` (e.g. "/api"), or at the root when marked so. */
export function routerOf(operations: readonly Operation[], apiPath: string): Router<AppState, AppExtensions> {
  const router = new Router<AppState, AppExtensions>();
  for (const op of operations) {
    router[op.method](op.operationId, `${op.atRoot ? "" : apiPath}${op.path}`, ...(middlewareOf(op) as never[]));
  }
  return router;
}

/** The path API_URL mounts the API at, without a trailing slash ("" for the root). */
export function apiPathOf(apiUrl: string): string {
  return new URL(apiUrl).pathname.replace(/\/+$/, "");
}

/**
 * After the handler: a JSON body goes through the schema of its status, which drops every field the
 * schema does not name. Under NODE_ENV=test a body the schema would change, or a status the
 * operation does not declare, throws instead: the integration suite fails on any drift.
 */
function shapeResponse(op: Operation) {
  return async (ctx: AppContext, next: Next) => {
    await next();
    const strict = ctx.deps.config.NODE_ENV === "test";
    const spec = op.responses[ctx.status];
    if (!spec) {
      if (strict) throw new Error(`${op.operationId} answered ${ctx.status}, which it does not declare`);
      return;
    }
    if (!spec.body || !isJson(ctx.body)) return;
    const plain: unknown = JSON.parse(JSON.stringify(ctx.body));
    const shaped = spec.body.safeParse(plain);
    if (!shaped.success)
      throw new Error(`${op.operationId} ${ctx.status} does not match its schema: ${shaped.error.message}`);
    if (strict && canonical(shaped.data) !== canonical(plain)) {
      throw new Error(`${op.operationId} ${ctx.status} has fields its schema does not name: ${JSON.stringify(plain)}`);
    }
    ctx.body = shaped.data;
  };
}

/** JSON with object keys sorted: equal for equal values whatever order their keys came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function isJson(body: unknown): boolean {
  return (
    body !== null &&
    typeof body === "object" &&
    !Buffer.isBuffer(body) &&
    typeof (body as { pipe?: unknown }).pipe !== "function"
  );
}
