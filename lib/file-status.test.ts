import {
  FILE_STATUSES,
  LISTED_STATUSES,
  NAME_HOLDING_STATUSES,
  QUOTA_STATUSES,
  SERVABLE_STATUSES,
  USED_BYTES_STATUSES,
  sqlStatusList,
  statusRule,
} from "./file-status";
import { OBJECT_AREAS, areaPrefix, fileKey, previewKey, quarantineKey, thumbnailKey } from "./object-keys";

describe("file status table", () => {
  it("serves only ready files and counts processing and ready in used_bytes", () => {
    expect(SERVABLE_STATUSES).toEqual(["ready"]);
    expect(USED_BYTES_STATUSES).toEqual(["processing", "ready"]);
    expect(QUOTA_STATUSES).toEqual(["uploading", "processing", "ready"]);
    expect(NAME_HOLDING_STATUSES).toEqual(["uploading", "processing", "ready"]);
    expect(LISTED_STATUSES).not.toContain("failed");
    expect(sqlStatusList(USED_BYTES_STATUSES)).toBe("'processing', 'ready'");
  });

  it("keeps the bytes of quarantined files under quarantine/ and of no failed or rejected file", () => {
    expect(statusRule("quarantined")).toMatchObject({ keepsBytes: true, hasObject: true, area: "quarantine" });
    for (const status of ["failed", "rejected"] as const) expect(statusRule(status).keepsBytes).toBe(false);
    // An open upload has parts but no object yet: kept, never reported missing.
    expect(statusRule("uploading")).toMatchObject({ keepsBytes: true, hasObject: false });
  });

  it("calls every status but uploading and processing terminal", () => {
    expect(FILE_STATUSES.filter((status) => !statusRule(status).terminal)).toEqual(["uploading", "processing"]);
  });
});

describe("object keys", () => {
  const file = { ownerId: "u1", id: "f1" };

  it("puts each kind of object under its owner's prefix in its area", () => {
    expect(fileKey(file)).toBe("u1/f1");
    expect(quarantineKey(file)).toBe("quarantine/u1/f1");
    expect(thumbnailKey(file)).toBe("thumbnails/u1/f1.webp");
    expect(previewKey(file)).toBe("previews/u1/f1.webp");
    expect(fileKey(file).startsWith(areaPrefix("files", "u1"))).toBe(true);
    expect(quarantineKey(file).startsWith(areaPrefix("quarantine", "u1"))).toBe(true);
    expect(thumbnailKey(file).startsWith(areaPrefix("thumbnails", "u1"))).toBe(true);
    expect(OBJECT_AREAS).toEqual(["files", "quarantine", "thumbnails"]);
  });
});
