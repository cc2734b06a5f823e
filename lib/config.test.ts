import { readFileSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";
import { ConfigError, parseConfig } from "./config";
import { minimalEnv } from "../test/minimal-env";

const valid = minimalEnv;

function problems(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe("parseConfig", () => {
  it("reads the type policy, alert addresses and webhook settings, and names each bad entry", () => {
    const config = parseConfig({
      ...valid,
      UPLOAD_ALLOWED_TYPES: " image/* , Application/PDF",
      ADMIN_ALERT_EMAILS: "a@example.com, b@example.com",
    });
    expect(config.UPLOAD_ALLOWED_TYPES).toEqual(["image/*", "application/pdf"]);
    expect(config.UPLOAD_BLOCKED_TYPES).toEqual([]);
    expect(config.ADMIN_ALERT_EMAILS).toEqual(["a@example.com", "b@example.com"]);
    expect(config.WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(config.WEBHOOK_TIMEOUT_MS).toBe(5000);
    expect(config.WEBHOOK_DISABLE_AFTER_SECONDS).toBe(24 * 3600);
    expect(
      problems({ ...valid, UPLOAD_BLOCKED_TYPES: "image/png, exe", ADMIN_ALERT_EMAILS: "a@example.com, nobody" }),
    ).toEqual([
      'UPLOAD_BLOCKED_TYPES: not media type patterns such as "image/*": exe',
      "ADMIN_ALERT_EMAILS: not e-mail addresses: nobody",
    ]);
  });

  it("accepts the required variables and fills the defaults of SPEC §4", () => {
    const config = parseConfig(valid);
    expect(config.MAX_CONCURRENT_UPLOADS).toBe(5);
    expect(config.UPLOAD_PART_BYTES).toBe(8 * 1024 * 1024);
    expect(config.TEMPORAL_TASK_QUEUE).toBe("coffer");
    expect(config.TRUST_PROXY).toBe(false);
    expect(config.PUBLIC_MAX_BYTES).toBe(1073741824);
  });

  it("names a JWT_SECRET that is too short", () => {
    expect(problems({ ...valid, JWT_SECRET: "short" })).toEqual(["JWT_SECRET: must be at least 32 characters"]);
  });

  it("gives one line per missing or bad variable", () => {
    const lines = problems({ ...valid, DATABASE_URL: undefined, CLAMAV_PORT: "not-a-port", UPLOAD_PART_BYTES: "1024" });
    expect(lines).toHaveLength(3);
    expect(lines).toContain("DATABASE_URL: is required");
    expect(lines.some((line) => line.startsWith("CLAMAV_PORT: "))).toBe(true);
    expect(lines.some((line) => line.startsWith("UPLOAD_PART_BYTES: "))).toBe(true);
  });

  it("treats an empty variable as unset, so its default applies", () => {
    const config = parseConfig({
      ...valid,
      JWT_SECRET_PREVIOUS: "",
      S3_PUBLIC_ENDPOINT: "",
      PORT: "",
      TRUST_PROXY: "",
    });
    expect(config.JWT_SECRET_PREVIOUS).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.TRUST_PROXY).toBe(false);
  });
});

describe("parseConfig in production", () => {
  const example = dotenv.parse(readFileSync(path.join(__dirname, "..", ".env.example")));
  const strong = {
    ...valid,
    NODE_ENV: "production",
    JWT_SECRET: "q7Zp2LxV9mWc4RtY8bNf3HsK6jD1gUeA0oPi5",
    S3_SECRET_KEY: "Vb8nQ2wLz5Xc7Rt1Ym4P",
    ADMIN_PASSWORD: "plum kettle orbit 42",
  };

  it("accepts secrets of the operator's own", () => {
    expect(problems(strong)).toEqual([]);
  });

  it("refuses the secrets of .env.example, one line each", () => {
    const lines = problems({ ...example, NODE_ENV: "production" });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^JWT_SECRET: is an example value/),
        expect.stringMatching(/^S3_SECRET_KEY: is an example value/),
        expect.stringMatching(/^ADMIN_PASSWORD: is an example value/),
      ]),
    );
    expect(lines).toHaveLength(3);
  });

  it("accepts the example secrets outside production", () => {
    expect(problems({ ...example, NODE_ENV: "development" })).toEqual([]);
    expect(problems({ ...example, NODE_ENV: "test" })).toEqual([]);
  });

  it("refuses example and weak values of every secret, the optional ones included", () => {
    const cases: [Record<string, string>, string][] = [
      [{ JWT_SECRET: "x".repeat(40) }, "JWT_SECRET: is too predictable"],
      [{ JWT_SECRET: "abcdefgh".repeat(5) }, "JWT_SECRET: is too predictable"],
      [
        { JWT_SECRET_PREVIOUS: "dev-secret-change-me-please-0123456789abcdef" },
        "JWT_SECRET_PREVIOUS: is an example value",
      ],
      [{ S3_SECRET_KEY: "coffer-secret" }, "S3_SECRET_KEY: must be at least 16 characters in production"],
      [{ S3_UPLOAD_SECRET_KEY: "coffer-secret-key" }, "S3_UPLOAD_SECRET_KEY: is an example value"],
      [{ S3_DOWNLOAD_SECRET_KEY: "short" }, "S3_DOWNLOAD_SECRET_KEY: must be at least 16 characters in production"],
      [{ ADMIN_PASSWORD: "eleven char" }, "ADMIN_PASSWORD: must be at least 12 characters in production"],
      [{ DATABASE_URL: "postgres://postgres:coffer@postgres:5432/coffer" }, "DATABASE_URL: has an example password"],
    ];
    for (const [override, line] of cases) {
      const lines = problems({ ...strong, ...override });
      expect(lines).toHaveLength(1);
      expect(lines[0].startsWith(line)).toBe(true);
    }
  });

  it("reports schema problems and secret problems together, one line per variable", () => {
    const lines = problems({ ...strong, JWT_SECRET: "short", ADMIN_PASSWORD: "admin-password-change-me", PORT: "0" });
    expect(lines).toHaveLength(3);
    expect(lines).toContain("JWT_SECRET: must be at least 32 characters");
  });
});

describe("HOST", () => {
  it("defaults to loopback, so the API is not reachable from other machines unless asked", () => {
    expect(parseConfig(valid).HOST).toBe("127.0.0.1");
    expect(parseConfig({ ...valid, HOST: "0.0.0.0" }).HOST).toBe("0.0.0.0");
  });
});
