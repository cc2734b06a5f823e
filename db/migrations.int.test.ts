import { createDb, type Knex } from "./index";

const tables = ["users", "folders", "files", "shares", "share_downloads", "audit_log", "upload_events"];

async function existingTables(db: Knex): Promise<string[]> {
  const rows = await db("information_schema.tables")
    .where({ table_schema: "public" })
    .whereIn("table_name", tables)
    .pluck("table_name");
  return rows.sort();
}

describe("migrations", () => {
  let db: Knex;
  beforeAll(() => {
    db = createDb(process.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await db.migrate.latest();
    await db.destroy();
  });

  it("go up, down and up again", async () => {
    await db.migrate.latest();
    expect(await existingTables(db)).toEqual([...tables].sort());

    await db.migrate.rollback(undefined, true);
    expect(await existingTables(db)).toEqual([]);

    await db.migrate.latest();
    expect(await existingTables(db)).toEqual([...tables].sort());
  });

  it("refuse a second account whose email differs only in case", async () => {
    await db.migrate.latest();
    const email = `Case-${Date.now()}@example.com`;
    await db("users").insert({ email, password_hash: "x", quota_bytes: 1 });
    await expect(
      db("users").insert({ email: email.toLowerCase(), password_hash: "x", quota_bytes: 1 }),
    ).rejects.toThrow(/users_email_unique/);
  });
});
