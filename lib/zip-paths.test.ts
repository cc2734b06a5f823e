import { safeZipPath } from "./zip-paths";

describe("safeZipPath", () => {
  it("joins plain names into a relative path", () => {
    expect(safeZipPath(["photos", "2026", "beach.jpg"])).toBe("photos/2026/beach.jpg");
    expect(safeZipPath(["ünïcødé名.txt"])).toBe("ünïcødé名.txt");
  });

  it.each([
    [["..", "etc", "passwd"]],
    [["a", "..", "b"]],
    [["."]],
    [["/etc", "passwd"]],
    [["a\\..\\b"]],
    [["C:", "x"]],
    [["c:evil"]],
    [["a\u0000b"]],
    [["line\nbreak"]],
    [[""]],
    [[]],
  ])("refuses %j", (segments) => {
    expect(safeZipPath(segments)).toBeNull();
  });
});
