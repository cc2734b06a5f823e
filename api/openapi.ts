import { z, type ZodType } from "zod";
import type { ErrorSpec, Operation } from "./route-table";

/** The SPEC §6 error body every failure answers with. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: "snake_case, stable: what clients branch on", example: "not_found" }),
    message: z.string().meta({ description: "For people; may change" }),
    details: z.unknown().optional().meta({ description: "What exactly was wrong, when there is more to say" }),
  }),
  requestId: z.string().meta({ description: "Also in the X-Request-Id header; quote it in bug reports" }),
});

/** A JSON Schema without its `$schema` and `$id` keys (the document states the dialect once). */
function bare(schema: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== "$schema" && key !== "$id"));
}

function schemaOf(schema: ZodType, io: "input" | "output"): Record<string, unknown> {
  return bare(
    z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any", reused: "inline" }) as Record<
      string,
      unknown
    >,
  );
}

/** The errors an operation can answer: its own plus those its auth, rate limit and input add. */
export function errorsOf(op: Operation): ErrorSpec[] {
  const errors: ErrorSpec[] = [];
  if (op.input)
    errors.push([
      400,
      "validation_failed",
      "The request does not match the schema; details lists `path: message` per problem",
    ]);
  if (requestBodyOf(op))
    errors.push([
      415,
      "unsupported_media_type",
      op.acceptsForm ? "A body that is neither JSON nor a form" : "A body that is not JSON",
    ]);
  if (op.auth !== "public")
    errors.push(
      [401, "unauthorized", "No bearer token"],
      [401, "invalid_token", "The token is invalid, expired or its session ended"],
    );
  if (op.auth === "admin")
    errors.push([404, "not_found", "Callers who are not admins get 404, as if the route did not exist"]);
  if (op.rateLimit) errors.push([429, "rate_limited", `Over the ${op.rateLimit} rate limit; see Retry-After`]);
  return [...errors, ...(op.errors ?? [])];
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

function parameters(op: Operation) {
  const shape = (op.input as z.ZodObject | undefined)?.shape ?? {};
  const list: Record<string, unknown>[] = [];
  for (const location of ["params", "query"] as const) {
    const part = shape[location] as z.ZodObject | undefined;
    if (!part) continue;
    const schema = schemaOf(part, "input") as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      const { description, ...rest } = property;
      list.push({
        name,
        in: location === "params" ? "path" : "query",
        required: location === "params" || (schema.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return list;
}

/**
 * Every body schema of the table, each under a name in components.schemas, with references between
 * them: the shared views under their own names (File, Folder …), the rest after their operation.
 */
function bodySchemas(operations: readonly Operation[], named: Record<string, ZodType>) {
  const outputs = z.registry<{ id: string }>();
  const inputs = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries({ ...named, Error: ErrorBody })) outputs.add(schema, { id });
  for (const op of operations) {
    const body = requestBodyOf(op);
    if (body && !inputs.has(body)) inputs.add(body, { id: `${op.operationId}Request` });
    for (const [status, spec] of Object.entries(op.responses)) {
      if (spec.body && !outputs.has(spec.body)) outputs.add(spec.body, { id: `${op.operationId}${status}` });
    }
  }
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const [registry, io] of [
    [inputs, "input"],
    [outputs, "output"],
  ] as const) {
    const generated = z.toJSONSchema(registry, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
      uri: (id) => `#/components/schemas/${id}`,
    });
    for (const [id, schema] of Object.entries(generated.schemas)) schemas[id] = bare(schema as Record<string, unknown>);
  }
  const ref = (registry: typeof inputs, schema: ZodType) => ({
    $ref: `#/components/schemas/${registry.get(schema)!.id}`,
  });
  return {
    schemas,
    requestRef: (schema: ZodType) => ref(inputs, schema),
    responseRef: (schema: ZodType) => ref(outputs, schema),
  };
}

const requestBodyOf = (op: Operation) => (op.input as z.ZodObject | undefined)?.shape?.body as ZodType | undefined;

type Bodies = ReturnType<typeof bodySchemas>;

function requestBody(op: Operation, bodies: Bodies) {
  const body = requestBodyOf(op);
  if (!body) return undefined;
  const examples =
    op.examples && Object.fromEntries(Object.entries(op.examples).map(([name, value]) => [name, { value }]));
  return {
    required: !body.safeParse(undefined).success,
    content: { "application/json": { schema: bodies.requestRef(body), ...(examples ? { examples } : {}) } },
  };
}

function responses(op: Operation, bodies: Bodies) {
  const out: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(op.responses)) {
    const content = spec.body
      ? { "application/json": { schema: bodies.responseRef(spec.body) } }
      : spec.mediaType
        ? { [spec.mediaType]: { schema: { type: "string", contentMediaType: spec.mediaType } } }
        : undefined;
    const headers =
      spec.headers &&
      Object.fromEntries(
        Object.entries(spec.headers).map(([name, description]) => [name, { description, schema: { type: "string" } }]),
      );
    out[status] = { description: spec.description, ...(headers ? { headers } : {}), ...(content ? { content } : {}) };
  }
  const byStatus = new Map<number, ErrorSpec[]>();
  for (const error of errorsOf(op)) byStatus.set(error[0], [...(byStatus.get(error[0]) ?? []), error]);
  for (const [status, errors] of byStatus) {
    out[status] = {
      description: errors.map(([, code, why]) => `\`${code}\`${why ? `: ${why}` : ""}`).join("; "),
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  return out;
}

export interface DocumentInfo {
  version: string;
  /** Where the API is mounted, e.g. http://127.0.0.1:3000/api. */
  serverUrl: string;
}

/** The server's root, for the operations served there (/health, /metrics). */
const rootOf = (serverUrl: string) => (/^https?:\/\//.test(serverUrl) ? new URL(serverUrl).origin : "/");

/** The OpenAPI 3.1 document of the route table; `named` are the schemas clients get under their own names. */
export function openApiDocument(
  operations: readonly Operation[],
  info: DocumentInfo,
  named: Record<string, ZodType> = {},
) {
  const bodies = bodySchemas(operations, named);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = (paths[toOpenApiPath(op.path)] ??= op.atRoot ? { servers: [{ url: rootOf(info.serverUrl) }] } : {});
    const params = parameters(op);
    path[op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: [op.tag],
      security: op.auth === "public" ? [] : [{ bearer: [] }],
      ...(op.rateLimit ? { "x-rate-limit": op.rateLimit } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(requestBodyOf(op) ? { requestBody: requestBody(op, bodies) } : {}),
      responses: responses(op, bodies),
    };
  }
  return {
    openapi: "3.1.0",
    jsonSchemaDialect: "https://json-schema.org/draft/2020-12/schema",
    info: {
      title: "Coffer API",
      version: info.version,
      description: "Self-hostable file storage and sharing. A guide to this reference: docs/api.md.",
      license: { name: "AGPL-3.0-only", identifier: "AGPL-3.0-only" },
    },
    servers: [{ url: info.serverUrl }],
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "The accessToken of POST /auth/login or /auth/refresh",
        },
      },
      schemas: bodies.schemas,
    },
  };
}
