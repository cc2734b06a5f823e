import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "..");

/** Runs a built entry point with a broken environment and no .env file in reach. */
function runWith(entry: string, env: Record<string, string | undefined>) {
  return spawnSync(process.execPath, [path.join(root, entry)], {
    cwd: "/",
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
}

const base = {
  APP_URL: "http://127.0.0.1:3000",
  API_URL: "http://127.0.0.1:3000",
  DATABASE_URL: "postgres://postgres@127.0.0.1:5432/coffer",
  REDIS_URL: "redis://127.0.0.1:6379/0",
  JWT_SECRET: "too-short",
  S3_ENDPOINT: "http://127.0.0.1:9000",
  S3_REGION: "us-east-1",
  S3_ACCESS_KEY: "key",
  S3_SECRET_KEY: "secret",
  S3_BUCKET: "coffer",
  SMTP_URL: "smtp://127.0.0.1:1025",
  EMAIL_FROM: "x@example.com",
  CLAMAV_HOST: "127.0.0.1",
  CLAMAV_PORT: "3310",
  TEMPORAL_ADDRESS: "127.0.0.1:7233",
};

describe.each(["dist/api/server.js", "dist/worker/main.js"])("%s with a bad environment", (entry) => {
  it("exits 1 with one line naming each bad or missing variable", () => {
    const result = runWith(entry, base);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("config error: JWT_SECRET: must be at least 32 characters");
    expect(result.stderr).toContain("config error: PUBLIC_MAX_BYTES: is required");
    expect(result.stderr.trim().split("\n")).toHaveLength(2);
  });
});
