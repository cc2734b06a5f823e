import { bodyParser } from "@koa/bodyparser";
import Koa from "koa";
import { AppError } from "../lib/errors";
import type { AppExtensions, AppState } from "./context";
import type { AppDeps } from "./deps";
import { errorHandler } from "./middleware/error-handler";
import { requestId } from "./middleware/request-id";
import { requestLog } from "./middleware/request-log";
import { filesRouter } from "./routes/files/files.router";
import { uploadsRouter } from "./routes/files/uploads.router";
import { foldersRouter } from "./routes/folders/folders.router";
import { opsRouter } from "./routes/ops/ops.router";
import { adminCleanupRouter } from "./routes/admin/cleanup.router";
import { adminAnalyticsRouter } from "./routes/admin/analytics.router";
import { adminUsersRouter } from "./routes/admin/users.router";
import { authRouter } from "./routes/auth/auth.router";
import { meRouter } from "./routes/me/me.router";
import { publicSharesRouter } from "./routes/shares/public.router";
import { sharesRouter } from "./routes/shares/shares.router";

/** Builds the Koa app around its dependencies; server.ts listens, tests call app.callback(). */
export function createApp(deps: AppDeps): Koa<AppState, AppExtensions> {
  const app = new Koa<AppState, AppExtensions>({
    proxy: deps.config.TRUST_PROXY,
    // Only the entry our proxy appended to X-Forwarded-For: entries to its left come from the client.
    maxIpsCount: 1,
  });
  app.context.deps = deps;
  app.silent = true;

  app.use(requestId());
  app.use(requestLog());
  app.use(errorHandler());
  app.use(bodyParser({ enableTypes: ["json", "form"], jsonLimit: "1mb", formLimit: "1mb", encoding: "utf-8" }));

  for (const router of [opsRouter(), uploadsRouter(), filesRouter(), foldersRouter(), authRouter(), meRouter(), adminUsersRouter(), adminAnalyticsRouter(), adminCleanupRouter(), sharesRouter(), publicSharesRouter()]) {
    app.use(router.routes());
    app.use(
      router.allowedMethods({
        throw: true,
        // A method no route knows (PROPFIND, …) is the client's mistake: 405, not 501.
        notImplemented: () => new AppError(405, "method_not_allowed", "This method is not allowed here."),
        methodNotAllowed: () => new AppError(405, "method_not_allowed", "This method is not allowed here."),
      }),
    );
  }
  return app;
}
