import { z } from "zod";
import { getAccountSummary } from "../../../db/commands/accounts";
import { unauthorized } from "../../../lib/errors";
import { operation } from "../../route-table";
import { UserView } from "../../schemas";

const Quota = z.object({
  usedBytes: z.number().int(),
  reservedBytes: z.number().int().meta({ description: "Held by open uploads" }),
  quotaBytes: z.number().int(),
  availableBytes: z.number().int(),
  filesCount: z.number().int().meta({ description: "Files that hold or will hold bytes, trashed ones included" }),
});

export const meRoutes = [
  operation({
    operationId: "getMe",
    method: "get",
    path: "/me",
    summary: "The signed-in user and their quota",
    tag: "account",
    auth: "user",
    responses: { 200: { description: "The account", body: z.object({ user: UserView, quota: Quota }) } },
    handler: async (ctx) => {
      const summary = await getAccountSummary(ctx.deps.db, ctx.state.userId!);
      if (!summary) throw unauthorized("invalid_token", "The access token is invalid or expired.");
      ctx.body = { user: summary.user.toPublic(), quota: summary.quota };
    },
  }),
];
