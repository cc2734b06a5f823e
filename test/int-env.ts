// Loaded before every integration test file: the local stack's settings from .env (or .env.example),
// with a database of its own and quiet logs. Variables already set in the environment win.
import { existsSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";

const root = path.resolve(__dirname, "..");
const envFile = existsSync(path.join(root, ".env")) ? ".env" : ".env.example";
dotenv.config({ path: path.join(root, envFile), quiet: true });

process.env.NODE_ENV = "test";
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? "silent";
if (!process.env.TEST_DATABASE_URL) {
  const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/coffer");
  url.pathname = `${url.pathname}_test`;
  process.env.TEST_DATABASE_URL = url.toString();
}
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL;
