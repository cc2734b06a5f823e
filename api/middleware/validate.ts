import type { Next } from "koa";
import { z, type ZodError, type ZodType } from "zod";
import { AppError } from "../../lib/errors";
import type { AppContext } from "../context";

/** `path: message` for every issue, as the error body's details. */
export function describeZodError(error: ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`);
}

/**
 * Parses `{ params, query, body }` with `schema` into `ctx.input`; a mismatch is a 400 listing each
 * problem. Use z.object({ body: ..., query: ..., params: ... }) with only the parts a route reads.
 */
export function validate<S extends ZodType>(schema: S) {
  return async (ctx: AppContext<z.infer<S>>, next: Next) => {
    const result = schema.safeParse({
      params: ctx.params ?? {},
      query: ctx.query,
      body: (ctx.request as { body?: unknown }).body ?? {},
    });
    if (!result.success) {
      throw new AppError(400, "validation_failed", "The request is not valid.", describeZodError(result.error));
    }
    ctx.input = result.data;
    await next();
  };
}
