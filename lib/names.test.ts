import { alternativeName, itemName } from "./names";

describe("itemName", () => {
  const ok = (name: string) => itemName.safeParse(name).success;

  it("accepts ordinary and unicode names and normalises them to NFC", () => {
    expect(itemName.parse("Cafe\u0301.txt")).toBe("Caf\u00e9.txt");
    expect(ok("report 2026.pdf")).toBe(true);
    expect(ok("📁 photos")).toBe(true);
  });

  it("refuses names a filesystem or a path would misread", () => {
    for (const bad of ["", ".", "..", "a/b", "nul\u0000byte", "tab\there", "x".repeat(256), "\ud800lone"]) {
      expect(ok(bad)).toBe(false);
    }
  });

  it("refuses bidi controls and other invisible format characters, which disguise a name", () => {
    for (const bad of [
      "invoice\u202Efdp.exe", // RIGHT-TO-LEFT OVERRIDE: shows as "invoiceexe.pdf"
      "a\u202Ab",
      "a\u2066b\u2069",
      "a\u200Eb",
      "a\u200Fb",
      "a\u061Cb",
      "zero\u200Bwidth",
      "joiner\u2060",
      "\uFEFFbom",
      "soft\u00ADhyphen",
    ]) {
      expect(itemName.safeParse(bad).error?.issues[0].message).toBe(
        "must not contain bidi controls or invisible format characters",
      );
    }
    expect(ok("\u05E9\u05DC\u05D5\u05DD.txt")).toBe(true); // Hebrew letters keep their own direction
  });

  it("counts the 255-byte limit in UTF-8 bytes, not characters", () => {
    expect(ok("é".repeat(127))).toBe(true); // 254 bytes
    expect(ok("é".repeat(128))).toBe(false); // 256 bytes
  });
});

describe("alternativeName", () => {
  it("numbers the stem and keeps the extension", () => {
    expect(alternativeName("report.pdf", 1)).toBe("report (1).pdf");
    expect(alternativeName("notes", 2)).toBe("notes (2)");
    expect(alternativeName(".bashrc", 1)).toBe(".bashrc (1)");
    expect(alternativeName("archive.tar.gz", 1)).toBe("archive.tar (1).gz");
  });
});
