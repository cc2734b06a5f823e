import { operation } from "../../route-table";
import { AdminSettings } from "./admin.views";

/** GET /admin/settings: what the admin pages need to know of the deployment. */
export const adminSettingsRoutes = [
  operation({
    operationId: "getAdminSettings",
    method: "get",
    path: "/admin/settings",
    summary: "Where the Temporal Web UI is, to link a file to its FileLifecycle workflow",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    responses: { 200: { description: "The settings", body: AdminSettings } },
    handler: async (ctx) => {
      const { TEMPORAL_UI_URL, TEMPORAL_NAMESPACE } = ctx.deps.config;
      ctx.body = { temporalUiUrl: TEMPORAL_UI_URL.replace(/\/+$/, ""), temporalNamespace: TEMPORAL_NAMESPACE };
    },
  }),
];
