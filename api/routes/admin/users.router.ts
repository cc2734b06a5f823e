import { z } from "zod";
import { listUsers, updateUserByAdmin } from "../../../db/commands/accounts";
import type { User } from "../../../db/models";
import { clientIp } from "../../middleware/rate-limit";
import { operation } from "../../route-table";
import { nextCursor, timestamp, UserView } from "../../schemas";
import * as T from "./users.schema";

const AdminUserView = UserView.extend({
  quotaBytes: z.number().int(),
  usedBytes: z.number().int(),
  reservedBytes: z.number().int(),
  emailVerifiedAt: timestamp.nullable(),
  disabledAt: timestamp.nullable(),
  firstLoginAt: timestamp.nullable(),
  planId: z.string().nullable().describe("The user's plan (GET /admin/plans); null: none."),
});

/** What an admin sees of an account: the public fields plus quota and lifecycle dates. */
function adminUserView(user: User) {
  return {
    ...user.toPublic(),
    quotaBytes: user.quotaBytes,
    usedBytes: user.usedBytes,
    reservedBytes: user.reservedBytes,
    emailVerifiedAt: user.emailVerifiedAt,
    disabledAt: user.disabledAt,
    firstLoginAt: user.firstLoginAt,
    planId: user.planId,
  };
}

export const adminUsersRoutes = [
  operation({
    operationId: "listUsers",
    method: "get",
    path: "/admin/users",
    summary: "Every account, with quota and lifecycle dates",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: T.ListUsersSchema,
    responses: {
      200: { description: "One page of users", body: z.object({ users: z.array(AdminUserView), nextCursor }) },
    },
    handler: async (ctx) => {
      const { limit, cursor } = ctx.input.query;
      const page = await listUsers({ db: ctx.deps.db, limit, cursor });
      ctx.body = { users: page.users.map(adminUserView), nextCursor: page.nextCursor };
    },
  }),
  operation({
    operationId: "updateUser",
    method: "patch",
    path: "/admin/users/:id",
    summary: "Change an account's quota, role or plan, or disable it",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: T.UpdateUserSchema,
    examples: { moreRoom: { quotaBytes: 53687091200 } },
    responses: { 200: { description: "The account as it is now", body: z.object({ user: AdminUserView }) } },
    errors: [
      [400, "unknown_plan", "planId names no plan"],
      [404, "not_found", "No such user"],
      [409, "self_lockout", "Admins cannot demote or disable themselves"],
    ],
    handler: async (ctx) => {
      const user = await updateUserByAdmin({
        db: ctx.deps.db,
        actorId: ctx.state.userId!,
        userId: ctx.input.params.id,
        changes: ctx.input.body,
        ip: clientIp(ctx),
      });
      ctx.body = { user: adminUserView(user) };
    },
  }),
];
