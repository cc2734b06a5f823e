import { ConfigError, parseConfig } from "./config";
import { addTally, emptyTally, nightlyMaintenanceInput, SAMPLE_SIZE, uploadHousekeepingInput } from "./housekeeping";
import { minimalEnv } from "../test/minimal-env";

const required = minimalEnv;

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig({ ...required, ...env });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe("housekeeping configuration", () => {
  it("defaults to the SPEC's schedules and retentions", () => {
    const config = parseConfig(required);
    expect(config).toMatchObject({
      SCHEDULES_ENABLED: true,
      UPLOAD_HOUSEKEEPING_INTERVAL: "10m",
      NIGHTLY_MAINTENANCE_CRON: "0 3 * * *",
      UPLOAD_STALE_MINUTES: 15,
      TRASH_RETENTION_DAYS: 30,
      QUARANTINE_RETENTION_DAYS: 30,
      FAILED_UPLOAD_RETENTION_DAYS: 7,
      ORPHAN_OBJECT_MIN_AGE_HOURS: 24,
    });
    expect(uploadHousekeepingInput(config)).toMatchObject({
      dryRun: false,
      staleAfterMs: 15 * MINUTE,
      orphanUploadMinAgeMs: 60 * MINUTE,
      batchSize: 500,
    });
    expect(nightlyMaintenanceInput(config, true)).toMatchObject({
      dryRun: true,
      trashRetentionMs: 30 * DAY,
      quarantineRetentionMs: 30 * DAY,
      failedUploadRetentionMs: 7 * DAY,
      orphanObjectMinAgeMs: DAY,
    });
  });

  it("takes short durations for tests, down to zero grace", () => {
    const config = parseConfig({
      ...required,
      UPLOAD_HOUSEKEEPING_INTERVAL: "30s",
      ORPHAN_OBJECT_MIN_AGE_HOURS: "0",
      TRASH_RETENTION_DAYS: "0",
    });
    expect(config.UPLOAD_HOUSEKEEPING_INTERVAL).toBe("30s");
    expect(nightlyMaintenanceInput(config)).toMatchObject({ orphanObjectMinAgeMs: 0, trashRetentionMs: 0 });
  });

  it("names each bad value", () => {
    expect(problems({ UPLOAD_HOUSEKEEPING_INTERVAL: "ten minutes" })).toEqual([
      'UPLOAD_HOUSEKEEPING_INTERVAL: must be a duration such as "10m"',
    ]);
    expect(problems({ NIGHTLY_MAINTENANCE_CRON: "daily" })).toEqual([
      "NIGHTLY_MAINTENANCE_CRON: must be a five-field cron expression",
    ]);
    expect(problems({ HOUSEKEEPING_BATCH_SIZE: "5000" })).toHaveLength(1);
    expect(problems({ ORPHAN_OBJECT_MIN_AGE_HOURS: "-1" })).toHaveLength(1);
    expect(problems({ SCHEDULES_ENABLED: "maybe" })).toHaveLength(1);
  });
});

describe("tallies", () => {
  it("count and sum everything but keep only the first names", () => {
    const total = emptyTally();
    for (let i = 0; i < 30; i++) addTally(total, { count: 1, bytes: i, sample: [`item-${i}`] });
    expect(total.count).toBe(30);
    expect(total.bytes).toBe(435);
    expect(total.sample).toHaveLength(SAMPLE_SIZE);
    expect(total.sample[0]).toBe("item-0");
  });
});
