import { replayRecordedHistories } from "../test/replay";

/**
 * Histories recorded from real runs (clean image with thumbnail, infected, rejected): a change to
 * the workflow that would break the runs in flight in production fails here.
 */
describe("FileLifecycle replay", () => {
  it("replays every recorded history without a determinism error", async () => {
    const { files, results } = await replayRecordedHistories(/^file-lifecycle-/);
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(results).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  }, 120_000);
});
