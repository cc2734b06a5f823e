import { type Client, ScheduleAlreadyRunning, ScheduleOverlapPolicy, type ScheduleOptions } from "@temporalio/client";
import type { Duration } from "@temporalio/common";
import type { Config } from "../lib/config";
import type { Logger } from "../lib/logger";
import { SHARE_CLEANUP_SCHEDULE_ID, SHARE_CLEANUP_WORKFLOW, shareCleanupInput } from "../lib/share-cleanup";
import type { WorkflowArgs, WorkflowName } from "../lib/workflow-start";
import { housekeepingSchedules } from "./housekeeping-schedules";

/** When a schedule fires: every interval (e.g. "1h", "10m") or on a cron expression (UTC). */
export type ScheduleTiming = { every: Duration; cron?: never } | { cron: string; every?: never };

/**
 * One recurring workflow: its schedule id, when, and the workflow it starts with which args. The
 * args are checked against the workflow function's parameters.
 */
export type ScheduleDefinition = {
  [N in WorkflowName]: { id: string; workflowType: N; args: WorkflowArgs<N> } & ScheduleTiming;
}[WorkflowName];

/**
 * Every schedule of SPEC §7. Each issue that adds a housekeeping workflow adds its entry here;
 * intervals come from config so tests can shorten them.
 */
export function scheduleDefinitions(config: Config): ScheduleDefinition[] {
  return [
    {
      id: SHARE_CLEANUP_SCHEDULE_ID,
      every: `${config.SHARE_CLEANUP_INTERVAL_MINUTES}m`,
      workflowType: SHARE_CLEANUP_WORKFLOW,
      args: [shareCleanupInput(config)],
    },
    ...housekeepingSchedules(config),
  ];
}

function toOptions(definition: ScheduleDefinition, taskQueue: string): ScheduleOptions {
  return {
    scheduleId: definition.id,
    spec:
      definition.cron !== undefined
        ? { cronExpressions: [definition.cron] }
        : { intervals: [{ every: definition.every }] },
    action: {
      type: "startWorkflow",
      workflowType: definition.workflowType,
      workflowId: definition.id,
      taskQueue,
      args: definition.args,
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: "1 minute" },
  };
}

/** Creates each schedule, or brings an existing one up to date: safe on every worker start. */
export async function ensureSchedules(
  client: Client,
  taskQueue: string,
  definitions: ScheduleDefinition[],
  logger: Logger,
): Promise<void> {
  for (const definition of definitions) {
    const options = toOptions(definition, taskQueue);
    try {
      await client.schedule.create(options);
      logger.info({ scheduleId: definition.id }, "schedule created");
    } catch (error) {
      if (!(error instanceof ScheduleAlreadyRunning)) throw error;
      await client.schedule.getHandle(definition.id).update((previous) => ({
        ...previous,
        spec: options.spec,
        action: options.action,
        policies: { ...previous.policies, ...options.policies },
      }));
      logger.info({ scheduleId: definition.id }, "schedule updated");
    }
  }
}
