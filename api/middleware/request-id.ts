import { randomUUID } from "node:crypto";
import type { Next } from "koa";
import type { AppContext } from "../context";

const acceptable = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes a sane X-Request-Id from the client or makes one, and returns it on every response. */
export function requestId() {
  return async (ctx: AppContext, next: Next) => {
    const incoming = ctx.get("X-Request-Id");
    ctx.state.requestId = acceptable.test(incoming) ? incoming : randomUUID();
    ctx.set("X-Request-Id", ctx.state.requestId);
    await next();
  };
}
