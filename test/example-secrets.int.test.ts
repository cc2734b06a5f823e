// The built entry points refuse, in production, the secrets that .env.example ships.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import dotenv from "dotenv";

const root = path.resolve(__dirname, "..");
const example = dotenv.parse(readFileSync(path.join(root, ".env.example")));

describe.each(["dist/api/server.js", "dist/worker/main.js", "dist/db/cli.js"])(
  "%s in production with .env.example",
  (entry) => {
    it("exits 1 with one line for each example secret", () => {
      const result = spawnSync(process.execPath, [path.join(root, entry), "seed"], {
        cwd: "/",
        env: { PATH: process.env.PATH, ...example, NODE_ENV: "production", PORT: "1" },
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split("\n");
      for (const name of ["JWT_SECRET", "S3_SECRET_KEY", "ADMIN_PASSWORD"]) {
        expect(lines).toContain(
          `config error: ${name}: is an example value shipped with Coffer; set a secret of your own`,
        );
      }
      expect(lines.every((line) => line.startsWith("config error: "))).toBe(true);
    });
  },
);
