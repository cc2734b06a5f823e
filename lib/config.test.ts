import { ConfigError, parseConfig } from "./config";

const valid = {
  APP_URL: "http://127.0.0.1:3000",
  API_URL: "http://127.0.0.1:3000",
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/coffer",
  REDIS_URL: "redis://127.0.0.1:6379/0",
  JWT_SECRET: "x".repeat(32),
  S3_ENDPOINT: "http://127.0.0.1:9000",
  S3_REGION: "us-east-1",
  S3_ACCESS_KEY: "key",
  S3_SECRET_KEY: "secret",
  S3_BUCKET: "coffer",
  PUBLIC_MAX_BYTES: "1073741824",
  SMTP_URL: "smtp://127.0.0.1:1025",
  EMAIL_FROM: "Coffer <no-reply@coffer.local>",
  CLAMAV_HOST: "127.0.0.1",
  CLAMAV_PORT: "3310",
  TEMPORAL_ADDRESS: "127.0.0.1:7233",
};

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
    const config = parseConfig({ ...valid, JWT_SECRET_PREVIOUS: "", S3_PUBLIC_ENDPOINT: "", PORT: "", TRUST_PROXY: "" });
    expect(config.JWT_SECRET_PREVIOUS).toBeUndefined();
    expect(config.PORT).toBe(3000);
    expect(config.TRUST_PROXY).toBe(false);
  });
});
