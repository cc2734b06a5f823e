import { MAX_PARTS, planUpload } from "./upload-plan";

const MiB = 1024 * 1024;

describe("planUpload", () => {
  it("uses the configured part size when it fits in 10 000 parts", () => {
    expect(planUpload(20 * MiB, 8 * MiB)).toEqual({ partSize: 8 * MiB, partCount: 3 });
    expect(planUpload(16 * MiB, 8 * MiB)).toEqual({ partSize: 8 * MiB, partCount: 2 });
  });

  it("gives an empty file one part", () => {
    expect(planUpload(0, 8 * MiB)).toEqual({ partSize: 8 * MiB, partCount: 1 });
  });

  it("grows the part size in whole MiB for files that would need more parts than S3 allows", () => {
    const plan = planUpload(100 * 1024 * MiB, 5 * MiB);
    expect(plan.partCount).toBeLessThanOrEqual(MAX_PARTS);
    expect(plan.partSize % MiB).toBe(0);
    expect(plan.partSize * plan.partCount).toBeGreaterThanOrEqual(100 * 1024 * MiB);
  });
});
