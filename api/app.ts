import Koa from "koa";
import { AppError } from "../lib/errors";
import type { AppExtensions, AppState } from "./context";
import type { AppDeps } from "./deps";
import { parseBody } from "./middleware/body";
import { errorHandler } from "./middleware/error-handler";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { apiPathOf, routerOf } from "./route-table";
import { routeTable } from "./routes";
import { webClient } from "./web-client";
import { securityHeaders } from "./middleware/security-headers";

/** Builds the Koa app around its dependencies; server.ts listens, tests call app.callback(). */
export function createApp(deps: AppDeps): Koa<AppState, AppExtensions> {
  const app = new Koa<AppState, AppExtensions>({
    proxy: deps.config.TRUST_PROXY,
    // Only the entry our proxy appended to X-Forwarded-For: entries to its left come from the client.
    maxIpsCount: 1,
  });
  app.context.deps = deps;
  app.silent = true;

  app.use(securityHeaders());
  app.use(requestId());
  app.use(requestLog());
  app.use(errorHandler());
  app.use(parseBody());

  const apiPath = apiPathOf(deps.config.API_URL);
  const router = routerOf(routeTable, apiPath);
  app.use(router.routes());
  app.use(
    router.allowedMethods({
      throw: true,
      // A method no route knows (PROPFIND, …) is the client's mistake: 405, not 501.
      notImplemented: () => new AppError(405, "method_not_allowed", "This method is not allowed here."),
      methodNotAllowed: () => new AppError(405, "method_not_allowed", "This method is not allowed here."),
    }),
  );
  const rootPaths = routeTable.filter((op) => op.atRoot).map((op) => op.path);
  app.use(webClient({ distDir: deps.config.WEB_DIST_DIR, apiPath, rootPaths }));
  return app;
}
