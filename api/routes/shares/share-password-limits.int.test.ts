import { call, randomIp } from "../../../test/accounts";
import { createUser, testPassword, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { readyFile, shareTestEnv } from "../../../test/shares";
import { api, randomBytesOf } from "../../../test/uploads";

describe("shares with a password: rate limit and hashing", () => {
  let bed: FilesTestbed;
  let url: string;
  beforeAll(async () => {
    bed = await startFilesTestbed(
      shareTestEnv({ RATE_LIMIT_SHARE_PASSWORD_PER_MINUTE: "3", PASSWORD_HASH_CONCURRENCY: "1" }),
    );
    url = bed.server.url;
  });
  afterAll(() => bed.close());

  /** `count` parallel POST /shares of one file; answers their statuses in order. */
  const share = async (owner: TestUser, fileId: string, count: number, body: Record<string, unknown>) => {
    const replies = await Promise.all(
      Array.from({ length: count }, () => api(url, "POST", "/shares", { user: owner, body: { fileId, ...body } })),
    );
    return replies.map((reply) => reply.status).sort();
  };

  it("answers a burst of password shares from one user with 429 past the limit, while a login still succeeds", async () => {
    const owner = await createUser(bed.deps);
    const other = await createUser(bed.deps);
    const fileId = await readyFile(url, owner, "contract.pdf", randomBytesOf(2048));

    const burst = Array.from({ length: 12 }, (_, i) =>
      api(url, "POST", "/shares", { user: owner, body: { fileId, password: `secret number ${i}` } }),
    );
    const login = call<{ accessToken: string }>(url, "POST", "/auth/login", {
      body: { email: other.user.email, password: testPassword },
      ip: randomIp(),
    });
    const [replies, loggedIn] = await Promise.all([Promise.all(burst), login]);

    expect(loggedIn.status).toBe(200);
    expect(loggedIn.body.accessToken).toEqual(expect.any(String));
    expect(replies.filter((r) => r.status === 201)).toHaveLength(3);
    const limited = replies.filter((r) => r.status !== 201);
    expect(limited).toHaveLength(9);
    for (const reply of limited) {
      expect(reply.status).toBe(429);
      expect(reply.body).toEqual({
        error: {
          code: "rate_limited",
          message: expect.any(String),
          details: { retryAfterSeconds: expect.any(Number) },
        },
        requestId: reply.headers.get("x-request-id"),
      });
      expect(Number(reply.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    }
  });

  it("limits each user on its own and leaves shares without a password alone", async () => {
    const owner = await createUser(bed.deps);
    const fileId = await readyFile(url, owner, "plans.pdf", randomBytesOf(2048));
    expect(await share(owner, fileId, 4, { password: "open sesame" })).toEqual([201, 201, 201, 429]);
    expect(await share(owner, fileId, 5, { password: null })).toEqual(Array(5).fill(201));

    const someoneElse = await createUser(bed.deps);
    const theirFile = await readyFile(url, someoneElse, "plans.pdf", randomBytesOf(2048));
    expect(await share(someoneElse, theirFile, 1, { password: "open sesame" })).toEqual([201]);
  });
});
