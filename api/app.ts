import { bodyParser } from "@koa/bodyparser";
import Koa from "koa";
import type { AppExtensions, AppState } from "./context";
import type { AppDeps } from "./deps";
import { errorHandler } from "./middleware/error-handler";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { opsRouter } from "./routes/ops/ops.router";

/** Builds the Koa app around its dependencies; server.ts listens, tests call app.callback(). */
export function createApp(deps: AppDeps): Koa<AppState, AppExtensions> {
  const app = new Koa<AppState, AppExtensions>({ proxy: deps.config.TRUST_PROXY });
  app.context.deps = deps;
  app.silent = true;

  app.use(requestId());
  app.use(requestLog());
  app.use(errorHandler());
  app.use(bodyParser({ enableTypes: ["json", "form"], jsonLimit: "1mb", formLimit: "1mb", encoding: "utf-8" }));

  for (const router of [opsRouter()]) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}
