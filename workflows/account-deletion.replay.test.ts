import { replayRecordedHistories } from "../test/replay";

/**
 * Histories recorded from real AccountDeletion runs (one clean, one whose worker was killed in the
 * middle of a page): a change to the workflow that would break deletions in flight fails here.
 */
describe("AccountDeletion replay", () => {
  it("replays every recorded history without a determinism error", async () => {
    const { files, results } = await replayRecordedHistories(/^account-deletion-/);
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(results).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  }, 120_000);
});
