import { createDb, type Knex } from "./index";

describe("errors of failing queries", () => {
  let db: Knex;
  beforeAll(() => {
    db = createDb(process.env.DATABASE_URL!);
  });
  afterAll(() => db.destroy());

  it("name the statement with placeholders, never the bound values (token hashes end up in logs)", async () => {
    const tokenHash = "5f0c1e2d3b4a-token-hash-that-must-not-be-logged";
    // A literal ? (jsonb's key-exists operator) is where Knex's compileSqlOnError pastes bound values in.
    const error = await db("no_such_table")
      .where({ tokenHash })
      .whereRaw("details \\? ?", ["reason"])
      .first()
      .then(
        () => undefined,
        (caught: unknown) => caught as Error,
      );
    expect(error).toBeInstanceOf(Error);
    expect(error!.message).toMatch(/"token_hash" = \$1 and details \? \$2/);
    expect(error!.message).not.toContain(tokenHash);
    expect(error!.message).not.toContain("reason");
  });
});
