import sharp from "sharp";
import { linuxExecutable, windowsExecutable } from "../test/samples";
import { detectMimeType } from "./type-detection";
import { parseTypePatterns, typeAllowed, typeMatches, TYPE_PATTERN } from "./type-policy";

describe("type patterns", () => {
  it("parses a comma-separated list, lower-cased, blanks dropped", () => {
    expect(parseTypePatterns(" Image/* , application/PDF,,")).toEqual(["image/*", "application/pdf"]);
    expect(parseTypePatterns("")).toEqual([]);
  });

  it("accepts media types with wildcards and refuses anything else", () => {
    for (const pattern of ["*", "image/*", "*/*", "application/vnd.ms-*", "text/plain"]) {
      expect(pattern).toMatch(TYPE_PATTERN);
    }
    for (const pattern of ["image", "image/", "/png", "image/png; charset=x", "a/b/c"]) {
      expect(pattern).not.toMatch(TYPE_PATTERN);
    }
  });

  it("matches * against any run of characters, case-insensitively, and nothing else", () => {
    expect(typeMatches("image/*", "image/png")).toBe(true);
    expect(typeMatches("image/*", "Image/PNG")).toBe(true);
    expect(typeMatches("image/*", "application/png")).toBe(false);
    expect(typeMatches("application/vnd.ms-*", "application/vnd.ms-excel")).toBe(true);
    expect(typeMatches("application/vnd.ms-*", "application/vnd.msexcel")).toBe(false);
    // A dot in a pattern is a dot, not "any character".
    expect(typeMatches("application/x.y", "application/xzy")).toBe(false);
    expect(typeMatches("*", "anything/at-all")).toBe(true);
  });

  it("lets the block list win, and an empty allow list allow everything", () => {
    const open = { allowed: [], blocked: ["application/x-msdownload"] };
    expect(typeAllowed(open, "video/mp4")).toBe(true);
    expect(typeAllowed(open, "application/x-msdownload")).toBe(false);
    const images = { allowed: ["image/*", "application/pdf"], blocked: ["image/svg+xml"] };
    expect(typeAllowed(images, "image/png")).toBe(true);
    expect(typeAllowed(images, "application/pdf")).toBe(true);
    expect(typeAllowed(images, "image/svg+xml")).toBe(false);
    expect(typeAllowed(images, "application/octet-stream")).toBe(false);
  });
});

describe("type detection from the first bytes", () => {
  it("finds a renamed executable whatever was declared", async () => {
    expect(await detectMimeType(windowsExecutable(), "image/jpeg")).toBe("application/x-msdownload");
    expect(await detectMimeType(linuxExecutable(), "text/plain")).toBe("application/x-elf");
  });

  it("sees the type of the first bytes of a polyglot: an executable with a PNG appended is an executable", async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    expect(await detectMimeType(Buffer.concat([windowsExecutable(), png]), "image/png")).toBe(
      "application/x-msdownload",
    );
    expect(await detectMimeType(Buffer.concat([png, windowsExecutable()]), "image/png")).toBe("image/png");
  });

  it("calls text without a signature text/plain, keeping a declared text format", async () => {
    expect(await detectMimeType(Buffer.from("hello, world\n"), "application/octet-stream")).toBe("text/plain");
    expect(await detectMimeType(Buffer.from('{"a": 1}'), "application/json")).toBe("application/json");
    expect(await detectMimeType(Buffer.from("a,b\n1,2\n"), "text/csv")).toBe("text/csv");
    // Text declared as an image is not that image.
    expect(await detectMimeType(Buffer.from("<svg/>"), "image/png")).toBe("text/plain");
    // A multi-byte character cut at the end of the sample is still text.
    expect(await detectMimeType(Buffer.from("héllo").subarray(0, 2), "text/plain")).toBe("text/plain");
  });

  it("calls unknown binary application/octet-stream and keeps the declared type of an empty file", async () => {
    expect(await detectMimeType(Buffer.from([1, 2, 0, 3, 0xff, 0xfe]), "image/png")).toBe("application/octet-stream");
    expect(await detectMimeType(Buffer.alloc(0), "image/png")).toBe("image/png");
  });
});
