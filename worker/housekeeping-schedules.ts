import type { Duration } from "@temporalio/common";
import type { Config } from "../lib/config";
import {
  NIGHTLY_MAINTENANCE_SCHEDULE_ID,
  NIGHTLY_MAINTENANCE_WORKFLOW,
  UPLOAD_HOUSEKEEPING_SCHEDULE_ID,
  UPLOAD_HOUSEKEEPING_WORKFLOW,
  nightlyMaintenanceInput,
  uploadHousekeepingInput,
} from "../lib/housekeeping";
import type { ScheduleDefinition } from "./schedules";

/** Upload housekeeping every UPLOAD_HOUSEKEEPING_INTERVAL, nightly maintenance on NIGHTLY_MAINTENANCE_CRON (UTC). */
export function housekeepingSchedules(config: Config): ScheduleDefinition[] {
  return [
    {
      id: UPLOAD_HOUSEKEEPING_SCHEDULE_ID,
      // Checked by the config schema: digits and a unit, as Temporal's durations take them.
      every: config.UPLOAD_HOUSEKEEPING_INTERVAL as Duration,
      workflowType: UPLOAD_HOUSEKEEPING_WORKFLOW,
      args: [uploadHousekeepingInput(config)],
    },
    {
      id: NIGHTLY_MAINTENANCE_SCHEDULE_ID,
      cron: config.NIGHTLY_MAINTENANCE_CRON,
      workflowType: NIGHTLY_MAINTENANCE_WORKFLOW,
      args: [nightlyMaintenanceInput(config)],
    },
  ];
}
