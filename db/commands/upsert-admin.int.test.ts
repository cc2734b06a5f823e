// `node dist/db/cli.js seed` against the test database: the admin is created once and then left alone.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import argon2 from "argon2";
import { createDb, type Knex } from "../index";
import { User } from "../models";

const cliJs = path.resolve(__dirname, "..", "..", "dist", "db", "cli.js");

/** Runs the built CLI with the test environment plus `env`, and no .env file in reach. */
function cli(
  command: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliJs, command], { cwd: "/", env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("db:seed (the admin seed)", () => {
  let db: Knex;
  beforeAll(async () => {
    db = createDb(process.env.DATABASE_URL!);
    await db.migrate.latest();
  });
  afterAll(() => db.destroy());

  const adminEmail = () => `admin-${randomUUID()}@example.com`;
  /** The seed's line about the admin (it also reports the plans it seeds). */
  const adminLine = (stdout: string) => stdout.split("\n").find((line) => line.startsWith("admin ")) ?? "";
  const accountsOf = (email: string) => User.query(db).whereRaw("lower(email) = lower(?)", [email]);

  it("creates the admin once; later runs keep its password whatever ADMIN_PASSWORD says", async () => {
    const email = adminEmail();
    const first = await cli("seed", { ADMIN_EMAIL: email, ADMIN_PASSWORD: "first admin password" });
    expect(first.code).toBe(0);
    expect(adminLine(first.stdout)).toBe(`admin ${email}: created`);

    const again = await cli("seed", { ADMIN_EMAIL: email, ADMIN_PASSWORD: "a password set later" });
    expect(again.code).toBe(0);
    expect(adminLine(again.stdout)).toMatch(/: unchanged \(an existing admin keeps its password/);
    const [admin] = await accountsOf(email);
    expect(admin).toMatchObject({ role: "admin", disabledAt: null });
    expect(await argon2.verify(admin.passwordHash, "first admin password")).toBe(true);
  });

  it("creates exactly one admin when two seeds run at once", async () => {
    const email = adminEmail();
    const runs = await Promise.all(
      [1, 2].map(() => cli("seed", { ADMIN_EMAIL: email, ADMIN_PASSWORD: "first admin password" })),
    );
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    expect(runs.map((run) => adminLine(run.stdout).split(": ")[1].split(" ")[0]).sort()).toEqual([
      "created",
      "unchanged",
    ]);
    expect(await accountsOf(email)).toHaveLength(1);
  });

  it("leaves an account that is not an admin alone: no promotion, no password", async () => {
    const email = adminEmail();
    const hash = await argon2.hash("its owner's password", { type: argon2.argon2id });
    await User.query(db).insert({ email, passwordHash: hash, role: "user", quotaBytes: 1 });
    const run = await cli("seed", { ADMIN_EMAIL: email, ADMIN_PASSWORD: "first admin password" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("not an admin");
    const [account] = await accountsOf(email);
    expect(account).toMatchObject({ role: "user", passwordHash: hash, emailVerifiedAt: null });
  });

  it("sets a new password only when asked with reset-admin-password", async () => {
    const email = adminEmail();
    await cli("seed", { ADMIN_EMAIL: email, ADMIN_PASSWORD: "first admin password" });
    const reset = await cli("reset-admin-password", { ADMIN_EMAIL: email, ADMIN_PASSWORD: "a password set later" });
    expect(reset).toMatchObject({ code: 0, stdout: `admin ${email}: password set\n` });
    const [admin] = await accountsOf(email);
    expect(await argon2.verify(admin.passwordHash, "a password set later")).toBe(true);

    const nobody = await cli("reset-admin-password", {
      ADMIN_EMAIL: adminEmail(),
      ADMIN_PASSWORD: "a password set later",
    });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain("no admin");
  });

  it("refuses an example ADMIN_PASSWORD in production and creates nothing", async () => {
    const email = adminEmail();
    const run = await cli("seed", {
      NODE_ENV: "production",
      JWT_SECRET: "q7Zp2LxV9mWc4RtY8bNf3HsK6jD1gUeA0oPi5",
      S3_SECRET_KEY: "Vb8nQ2wLz5Xc7Rt1Ym4P",
      ADMIN_EMAIL: email,
      ADMIN_PASSWORD: "admin-password-change-me",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      "config error: ADMIN_PASSWORD: is an example value shipped with Coffer; set a secret of your own\n",
    );
    expect(await accountsOf(email)).toEqual([]);
  });
});
