import { bodyParser } from "@koa/bodyparser";
import type { Next } from "koa";
import { AppError, unsupportedMediaType } from "../../lib/errors";
import type { AppContext } from "../context";

/** The encodings the parser inflates (names as it matches them: case-sensitive). */
const knownEncodings = new Set(["identity", "gzip", "deflate", "br"]);

/**
 * JSON and form bodies into ctx.request.body. A body that does not decompress under its
 * Content-Encoding is the client's mistake (400), as is an encoding we do not know (415); the
 * parser's own 4xx (bad JSON, too large) go on to the error handler as they are.
 */
export function parseBody() {
  return bodyParser({
    enableTypes: ["json", "form"],
    // DELETE too: DELETE /me carries the password in its body.
    parsedMethods: ["POST", "PUT", "PATCH", "DELETE"],
    jsonLimit: "1mb",
    formLimit: "1mb",
    encoding: "utf-8",
    onError(err, ctx) {
      const encoding = ctx.get("Content-Encoding") || "identity";
      if (!knownEncodings.has(encoding))
        throw unsupportedMediaType("Unsupported Content-Encoding: send identity, gzip, deflate or br.");
      // zlib rejects a broken gzip, deflate or br stream with a plain error that has no status.
      if (encoding !== "identity" && (err as { status?: unknown }).status === undefined) {
        throw new AppError(400, "invalid_content_encoding", `The body is not valid ${encoding} data.`);
      }
      throw err;
    },
  });
}

/**
 * For routes that read JSON only (/auth/*): a body of any other type is a 415. Browsers post forms
 * and text/plain across sites without a CORS preflight; JSON needs one, so this stops login CSRF.
 */
export function requireJsonBody() {
  return async (ctx: AppContext, next: Next) => {
    const hasBody = ctx.request.length ? ctx.request.length > 0 : ctx.get("Transfer-Encoding") !== "";
    if (hasBody && !ctx.is("json")) throw unsupportedMediaType("Send the body as application/json.");
    await next();
  };
}
