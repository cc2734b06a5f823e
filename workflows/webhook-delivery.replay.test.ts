import { replayRecordedHistories } from "../test/replay";

/** A recorded WebhookDelivery that failed twice and more before its receiver answered. */
describe("WebhookDelivery replay", () => {
  it("replays every recorded history without a determinism error", async () => {
    const { files, results } = await replayRecordedHistories(/^webhook-delivery-/);
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(results).toEqual(files.map((workflowId) => ({ workflowId, error: undefined })));
  }, 120_000);
});
