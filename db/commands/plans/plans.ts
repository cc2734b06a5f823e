import type { Knex } from "knex";
import { nameTaken, notFound } from "../../../lib/domain-errors";
import { Plan } from "../../models";
import { recordAudit } from "../record";

/** What defines a plan; the seed, POST and PATCH /admin/plans all speak it. */
export interface PlanLimits {
  name: string;
  quotaBytes: number;
  maxFiles: number;
  maxFileBytes: number;
}

/** Every plan, by name. */
export async function listPlans(db: Knex): Promise<Plan[]> {
  return Plan.query(db).orderBy("name");
}

/** True for PostgreSQL's unique violation (the plan name is taken). */
function isUniqueViolation(error: unknown): boolean {
  const pg = error as { code?: string; nativeError?: { code?: string } };
  return (pg.nativeError?.code ?? pg.code) === "23505";
}

const planNameTaken = () => nameTaken("A plan with this name exists.");

export interface CreatePlanProps {
  db: Knex;
  actorId: string;
  plan: PlanLimits;
  ip?: string;
}

/** Creates a plan; 409 `name_taken` when the name is in use (the unique index decides, no check first). */
export async function createPlan({ db, actorId, plan, ip }: CreatePlanProps): Promise<Plan> {
  return db.transaction(async (trx) => {
    const created = await Plan.query(trx)
      .insertAndFetch(plan)
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw planNameTaken();
        throw error;
      });
    await recordAudit(trx, {
      actorId,
      action: "plan.created",
      targetType: "plan",
      targetId: created.id,
      ip,
      details: { ...plan },
    });
    return created;
  });
}

export interface UpdatePlanProps {
  db: Knex;
  actorId: string;
  planId: string;
  changes: Partial<PlanLimits>;
  ip?: string;
}

/**
 * Changes a plan under a row lock. A new quota moves to every user on the plan in the same
 * transaction (their quota is the plan's from then on); the file limits are read at each upload
 * init, so they apply at once too. Returns the plan and how many users it moved.
 */
export async function updatePlan({
  db,
  actorId,
  planId,
  changes,
  ip,
}: UpdatePlanProps): Promise<{ plan: Plan; usersUpdated: number }> {
  return db.transaction(async (trx) => {
    const plan = await Plan.query(trx).findById(planId).forUpdate();
    if (!plan) throw notFound("plan");
    // patchAndFetch updates the instance too: keep what the plan was.
    const before = pickLimits(plan);
    const updated = await plan
      .$query(trx)
      .patchAndFetch(changes)
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw planNameTaken();
        throw error;
      });
    let usersUpdated = 0;
    if (changes.quotaBytes !== undefined && changes.quotaBytes !== before.quotaBytes) {
      usersUpdated = await trx("users").where({ planId }).update({ quotaBytes: changes.quotaBytes });
    }
    await recordAudit(trx, {
      actorId,
      action: "plan.updated",
      targetType: "plan",
      targetId: planId,
      ip,
      details: { from: { ...before }, to: { ...pickLimits(updated) }, usersUpdated },
    });
    return { plan: updated, usersUpdated };
  });
}

function pickLimits(plan: Plan): PlanLimits {
  return { name: plan.name, quotaBytes: plan.quotaBytes, maxFiles: plan.maxFiles, maxFileBytes: plan.maxFileBytes };
}

/** Inserts the configured plans that do not exist yet (by name); an existing plan keeps what admins made of it. */
export async function seedPlans(db: Knex, plans: PlanLimits[]): Promise<string[]> {
  const created: string[] = [];
  for (const plan of plans) {
    const rows: { name: string }[] = await db("plans").insert(plan).onConflict("name").ignore().returning("name");
    created.push(...rows.map((row) => row.name));
  }
  return created;
}

/** The upload limits of a user's plan, or null when the user has none (only the global limits apply). */
export async function planLimitsOf(
  db: Knex | Knex.Transaction,
  planId: string | null,
): Promise<Pick<PlanLimits, "maxFiles" | "maxFileBytes" | "name"> | null> {
  if (!planId) return null;
  const plan = await Plan.query(db).findById(planId);
  return plan ? { name: plan.name, maxFiles: plan.maxFiles, maxFileBytes: plan.maxFileBytes } : null;
}

/** The plans `db:seed` creates when missing: free (DEFAULT_QUOTA_BYTES, the plan of new accounts) and pro. */
export function configuredPlans(config: {
  DEFAULT_QUOTA_BYTES: number;
  PUBLIC_MAX_BYTES: number;
  PLAN_FREE_MAX_FILES: number;
  PLAN_FREE_MAX_FILE_BYTES?: number;
  PLAN_PRO_QUOTA_BYTES: number;
  PLAN_PRO_MAX_FILES: number;
  PLAN_PRO_MAX_FILE_BYTES?: number;
}): PlanLimits[] {
  return [
    {
      name: FREE_PLAN,
      quotaBytes: config.DEFAULT_QUOTA_BYTES,
      maxFiles: config.PLAN_FREE_MAX_FILES,
      maxFileBytes: config.PLAN_FREE_MAX_FILE_BYTES ?? config.PUBLIC_MAX_BYTES,
    },
    {
      name: "pro",
      quotaBytes: config.PLAN_PRO_QUOTA_BYTES,
      maxFiles: config.PLAN_PRO_MAX_FILES,
      maxFileBytes: config.PLAN_PRO_MAX_FILE_BYTES ?? config.PUBLIC_MAX_BYTES,
    },
  ];
}

/** The plan new accounts get (when it exists). */
export const FREE_PLAN = "free";
