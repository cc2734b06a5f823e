import { version } from "../../package.json";
import { openApiDocument } from "../openapi";
import type { Operation } from "../route-table";
import { UserView } from "../schemas";
import { adminAnalyticsRoutes } from "./admin/analytics.router";
import { adminCleanupRoutes } from "./admin/cleanup.router";
import { adminConcurrencyRoutes } from "./admin/concurrency.router";
import { adminPlansRoutes } from "./admin/plans.router";
import { adminSettingsRoutes } from "./admin/settings.router";
import { adminUsersRoutes } from "./admin/users.router";
import { authRoutes } from "./auth/auth.router";
import { filesRoutes } from "./files/files.router";
import { uploadsRoutes } from "./files/uploads.router";
import { FileView, FolderView } from "./files/views";
import { foldersRoutes } from "./folders/folders.router";
import { meRoutes } from "./me/me.router";
import { notificationsRoutes } from "./notifications/notifications.router";
import { opsRoutes } from "./ops/ops.router";
import { referenceRoutes } from "./reference/reference.router";
import { searchRoutes } from "./search/search.router";
import { publicShareRoutes } from "./shares/public.router";
import { sharesRoutes } from "./shares/shares.router";
import { webhooksRoutes } from "./webhooks/webhooks.router";

/** The route table: every operation of the API, in the order the reference lists them. */
export const routeTable: readonly Operation[] = [
  ...opsRoutes,
  ...authRoutes,
  ...meRoutes,
  ...notificationsRoutes,
  ...uploadsRoutes,
  ...filesRoutes,
  ...foldersRoutes,
  ...searchRoutes,
  ...sharesRoutes,
  ...publicShareRoutes,
  ...webhooksRoutes,
  ...adminUsersRoutes,
  ...adminPlansRoutes,
  ...adminConcurrencyRoutes,
  ...adminAnalyticsRoutes,
  ...adminCleanupRoutes,
  ...adminSettingsRoutes,
  ...referenceRoutes((serverUrl) => apiDocument(serverUrl)),
];

/** The OpenAPI document of the route table, for the API mounted at `serverUrl`. */
export function apiDocument(serverUrl: string) {
  return openApiDocument(routeTable, { version, serverUrl }, { File: FileView, Folder: FolderView, User: UserView });
}
