import { replayRecordedHistories } from "../test/replay";

/**
 * Histories recorded from real runs of the housekeeping workflows (a run continued as new, a run
 * whose worker was killed mid-purge, an admin-triggered cleanup): a change to the workflows that
 * would break the runs in flight in production fails here.
 */
describe("housekeeping workflows replay", () => {
  it("replays every recorded history without a determinism error", async () => {
    const { files, results } = await replayRecordedHistories(/^(upload-housekeeping|nightly-maintenance)-/);
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(results).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  }, 120_000);
});
