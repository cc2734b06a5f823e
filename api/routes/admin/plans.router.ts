import { z } from "zod";
import { createPlan, listPlans, updatePlan } from "../../../db/commands/plans/plans";
import type { Plan } from "../../../db/models";
import { clientIp } from "../../middleware/rate-limit";
import { operation } from "../../route-table";
import { timestamp, uuid } from "../../schemas";
import * as T from "./plans.schema";

export const PlanView = z.object({
  id: uuid,
  name: z.string(),
  quotaBytes: z.number().int(),
  maxFiles: z.number().int(),
  maxFileBytes: z.number().int(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export function planView(plan: Plan) {
  return {
    id: plan.id,
    name: plan.name,
    quotaBytes: plan.quotaBytes,
    maxFiles: plan.maxFiles,
    maxFileBytes: plan.maxFileBytes,
    createdAt: plan.createdAt,
    updatedAt: plan.updatedAt,
  };
}

const PlanBody = z.object({ plan: PlanView });

/** Plans (SPEC §6 Admin): the tiers assigned with PATCH /admin/users/:id {planId}. */
export const adminPlansRoutes = [
  operation({
    operationId: "listPlans",
    method: "get",
    path: "/admin/plans",
    summary: "Every plan, by name",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    responses: { 200: { description: "The plans", body: z.object({ plans: z.array(PlanView) }) } },
    handler: async (ctx) => {
      ctx.body = { plans: (await listPlans(ctx.deps.db)).map(planView) };
    },
  }),
  operation({
    operationId: "createPlan",
    method: "post",
    path: "/admin/plans",
    summary: "Create a plan: quota, file limit and largest file",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: T.CreatePlanSchema,
    examples: { team: { name: "team", quotaBytes: 1099511627776, maxFiles: 1000000, maxFileBytes: 2147483645 } },
    responses: { 201: { description: "The plan", body: PlanBody } },
    errors: [[409, "name_taken"]],
    handler: async (ctx) => {
      const plan = await createPlan({
        db: ctx.deps.db,
        actorId: ctx.state.userId!,
        plan: ctx.input.body,
        ip: clientIp(ctx),
      });
      ctx.status = 201;
      ctx.body = { plan: planView(plan) };
    },
  }),
  operation({
    operationId: "updatePlan",
    method: "patch",
    path: "/admin/plans/:id",
    summary: "Change a plan; a new quota moves to every user on it at once",
    tag: "admin",
    auth: "admin",
    rateLimit: "admin",
    input: T.UpdatePlanSchema,
    examples: { moreFiles: { maxFiles: 20000 } },
    responses: {
      200: {
        description: "The plan as it is now",
        body: PlanBody.extend({ usersUpdated: z.number().int().describe("Users whose quota moved with the plan's.") }),
      },
    },
    errors: [
      [404, "not_found", "No such plan"],
      [409, "name_taken"],
    ],
    handler: async (ctx) => {
      const { plan, usersUpdated } = await updatePlan({
        db: ctx.deps.db,
        actorId: ctx.state.userId!,
        planId: ctx.input.params.id,
        changes: ctx.input.body,
        ip: clientIp(ctx),
      });
      ctx.body = { plan: planView(plan), usersUpdated };
    },
  }),
];
