import { downloadsRemaining, headerPassword, isShareToken, shareState, shareUrl } from "./share-rules";
import { randomToken } from "./tokens";

const now = new Date("2026-06-01T12:00:00Z");
const live = { revokedAt: null, expiresAt: null, maxDownloads: null, downloadCount: 0 };
const ready = { status: "ready" as const, trashedAt: null };

describe("share rules", () => {
  it("calls a link active while nothing stops it", () => {
    expect(shareState(live, ready, now)).toBe("active");
    expect(
      shareState(
        { ...live, expiresAt: new Date("2026-06-01T12:00:01Z"), maxDownloads: 2, downloadCount: 1 },
        ready,
        now,
      ),
    ).toBe("active");
  });

  it("names why a link is gone, revocation first, then expiry, then the limit, then the file", () => {
    const past = new Date("2026-06-01T11:59:59Z");
    expect(shareState({ ...live, revokedAt: past, expiresAt: past }, ready, now)).toBe("revoked");
    expect(shareState({ ...live, expiresAt: now }, ready, now)).toBe("expired");
    expect(shareState({ ...live, expiresAt: past, maxDownloads: 1, downloadCount: 1 }, null, now)).toBe("expired");
    expect(shareState({ ...live, maxDownloads: 1, downloadCount: 1 }, ready, now)).toBe("consumed");
    expect(shareState(live, { status: "ready", trashedAt: past }, now)).toBe("file_unavailable");
    expect(shareState(live, { status: "quarantined", trashedAt: past }, now)).toBe("file_unavailable");
    expect(shareState(live, { status: "processing", trashedAt: null }, now)).toBe("file_unavailable");
    expect(shareState(live, null, now)).toBe("file_unavailable");
  });

  it("counts the downloads left, null without a limit, never below zero", () => {
    expect(downloadsRemaining({ maxDownloads: null, downloadCount: 7 })).toBeNull();
    expect(downloadsRemaining({ maxDownloads: 3, downloadCount: 1 })).toBe(2);
    expect(downloadsRemaining({ maxDownloads: 3, downloadCount: 5 })).toBe(0);
  });

  it("builds the public link from APP_URL with or without a trailing slash", () => {
    expect(shareUrl("https://files.example.com", "abc")).toBe("https://files.example.com/s/abc");
    expect(shareUrl("https://example.com/coffer/", "abc")).toBe("https://example.com/coffer/s/abc");
  });

  it("knows a token by its shape", () => {
    expect(isShareToken(randomToken())).toBe(true);
    for (const bad of ["", "short", "a".repeat(129), "abc def ghi jkl mno pqr stu", "%00".repeat(10), "é".repeat(30)]) {
      expect(isShareToken(bad)).toBe(false);
    }
  });

  it("reads a UTF-8 password out of a header value", () => {
    const sent = Buffer.from("pässwörd ✓", "utf8").toString("latin1");
    expect(headerPassword(sent)).toBe("pässwörd ✓");
    expect(headerPassword("")).toBeUndefined();
    expect(headerPassword(undefined)).toBeUndefined();
  });
});
