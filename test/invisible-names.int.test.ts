// Names with bidi controls or invisible format characters are refused wherever a name comes in.
import type { AppDeps } from "../api/deps";
import { call, randomIp, uniqueEmail, useAccountsTestEnv } from "./accounts";
import { closeDeps, createTestDeps, startTestServer, type TestServer } from "./deps";
import { createUser } from "./factories";

const disguised = "invoice\u202Efdp.exe"; // shows as "invoiceexe.pdf"
const message = "must not contain bidi controls or invisible format characters";

describe("names with bidi controls or invisible format characters", () => {
  let deps: AppDeps;
  let server: TestServer;
  beforeAll(async () => {
    useAccountsTestEnv();
    deps = await createTestDeps();
    server = await startTestServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await closeDeps(deps);
  });

  const refused = (path: string) => ({
    status: 400,
    body: {
      error: { code: "validation_failed", message: expect.any(String), details: [`${path}: ${message}`] },
      requestId: expect.any(String),
    },
  });

  it("POST /folders answers 400 and creates nothing", async () => {
    const { user, token } = await createUser(deps);
    for (const name of [disguised, "a\u2066b\u2069", "zero\u200Bwidth"]) {
      const reply = await call(server.url, "POST", "/folders", { token, body: { name } });
      expect(reply).toMatchObject(refused("body.name"));
    }
    expect(await deps.db("folders").where({ ownerId: user.id })).toEqual([]);
  });

  it("POST /files/uploads answers 400 and creates nothing", async () => {
    const { user, token } = await createUser(deps);
    const reply = await call(server.url, "POST", "/files/uploads", { token, body: { name: disguised, sizeBytes: 10 } });
    expect(reply).toMatchObject(refused("body.name"));
    expect(await deps.db("files").where({ ownerId: user.id })).toEqual([]);
  });

  it("POST /auth/register answers 400 to such a display name and creates no account", async () => {
    const email = uniqueEmail();
    const reply = await call(server.url, "POST", "/auth/register", {
      body: { email, password: "a long enough password", name: "Admin\u202E" },
      ip: randomIp(),
    });
    expect(reply).toMatchObject(refused("body.name"));
    expect(await deps.db("users").whereRaw("lower(email) = lower(?)", [email])).toEqual([]);
  });
});
