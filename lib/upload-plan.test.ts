import { MAX_PARTS, checkParts, planUpload } from "./upload-plan";

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

describe("checkParts", () => {
  const MiB = 1024 * 1024;
  const size = 12 * MiB;
  const plan = planUpload(size, 5 * MiB); // 5 + 5 + 2 MiB
  const stored = [
    { partNumber: 1, etag: '"a"', sizeBytes: 5 * MiB },
    { partNumber: 2, etag: '"b"', sizeBytes: 5 * MiB },
    { partNumber: 3, etag: '"c"', sizeBytes: 2 * MiB },
  ];
  const given = [
    { partNumber: 1, etag: '"a"' },
    { partNumber: 2, etag: "b" },
    { partNumber: 3, etag: '"c"' },
  ];

  it("accepts the planned parts held at their signed lengths, quoted or not", () => {
    expect(checkParts(size, plan, given, stored)).toEqual({ ok: true });
  });

  it("names the parts a request leaves out or adds", () => {
    expect(checkParts(size, plan, [...given.slice(0, 2), { partNumber: 4, etag: "d" }], stored)).toEqual({
      ok: false,
      reason: "missing_parts",
      missing: [3],
      extra: [4],
    });
  });

  it("refuses a part S3 holds at another length than the plan signed for", () => {
    const copied = [stored[0], stored[1], { ...stored[2], sizeBytes: 5 * MiB }];
    expect(checkParts(size, plan, given, copied)).toEqual({ ok: false, reason: "size_mismatch", partNumbers: [3] });
  });

  it("refuses a part S3 does not hold or holds under another ETag", () => {
    expect(checkParts(size, plan, given, stored.slice(0, 2))).toEqual({
      ok: false,
      reason: "invalid_parts",
      partNumbers: [3],
    });
    const other = [stored[0], { ...stored[1], etag: '"x"' }, stored[2]];
    expect(checkParts(size, plan, given, other)).toEqual({ ok: false, reason: "invalid_parts", partNumbers: [2] });
  });
});
