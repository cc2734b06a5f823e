/** The fewest settings parseConfig accepts: unit tests of config-driven code start from these. */
export const minimalEnv = {
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
