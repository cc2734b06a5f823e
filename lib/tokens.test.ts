import { hashToken, randomToken, secondsUntil } from "./tokens";

describe("tokens", () => {
  it("makes distinct 256-bit base64url tokens", () => {
    const a = randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, "base64url")).toHaveLength(32);
    expect(randomToken()).not.toBe(a);
  });

  it("hashes a token to its hex SHA-256", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("rounds Retry-After up and never answers 0", () => {
    const now = new Date("2026-01-01T00:00:00.000Z");
    expect(secondsUntil(new Date("2026-01-01T00:00:01.200Z"), now)).toBe(2);
    expect(secondsUntil(new Date("2026-01-01T00:00:00.000Z"), now)).toBe(1);
    expect(secondsUntil(new Date("2025-12-31T23:59:00.000Z"), now)).toBe(1);
  });
});
