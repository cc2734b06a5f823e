import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { readyFile, shareFile, shareTestEnv } from "../../../test/shares";
import { api, randomBytesOf } from "../../../test/uploads";

const uuid = "00000000-0000-4000-8000-000000000000";
const past = "2020-01-01T00:00:00Z";
const far = "2999-01-01T00:00:00Z";

describe("bad input on every share route answers 4xx with the error body, never 5xx", () => {
  let bed: FilesTestbed;
  let url: string;
  let user: TestUser;
  let fileId: string;
  let shareId: string;
  let token: string;
  beforeAll(async () => {
    bed = await startFilesTestbed(shareTestEnv());
    url = bed.server.url;
    user = await createUser(bed.deps);
    fileId = await readyFile(url, user, "input.txt", randomBytesOf(10));
    ({
      share: { id: shareId },
      token,
    } = await shareFile(url, user, fileId, { password: "right one" }));
  });
  afterAll(() => bed.close());

  const expectErrorBody = (res: { status: number; body: unknown }, label: string) => {
    expect([label, res.status >= 400 && res.status < 500]).toEqual([label, true]);
    const body = res.body as Record<string, Record<string, unknown>>;
    expect(Object.keys(body).sort()).toEqual(["error", "requestId"]);
    expect(body.error.code).toEqual(expect.stringMatching(/^[a-z_]+$/));
    expect(body.error.message).toEqual(expect.any(String));
  };

  it("POST /shares refuses malformed bodies with 400", async () => {
    const bodies: unknown[] = [
      "{not json",
      "[1,2]",
      '"just a string"',
      "null",
      {},
      { fileId: "nope" },
      { fileId: 42 },
      { fileId: null },
      { fileId, password: 42 },
      { fileId, password: "" },
      { fileId, password: "x".repeat(257) },
      { fileId, expiresAt: "tomorrow" },
      { fileId, expiresAt: 1_900_000_000 },
      { fileId, expiresAt: past },
      { fileId, expiresAt: far },
      { fileId, expiresAt: "2030-01-01T00:00:00" },
      { fileId, maxDownloads: 0 },
      { fileId, maxDownloads: -1 },
      { fileId, maxDownloads: 1.5 },
      { fileId, maxDownloads: "1" },
      { fileId, maxDownloads: 1e12 },
      { fileId, maxDownloads: [1] },
    ];
    for (const body of bodies) {
      const label = typeof body === "string" ? body : JSON.stringify(body);
      const res = await api(url, "POST", "/shares", { user, body });
      expect([label, res.status]).toEqual([label, 400]);
      expectErrorBody(res, label);
    }
  });

  it.each([
    ["GET", "/shares?limit=0"],
    ["GET", "/shares?limit=abc"],
    ["GET", "/shares?limit=100000"],
    ["GET", "/shares?cursor=%%%"],
    ["GET", "/shares?cursor=eyJ4IjoxfQ"],
    [
      "GET",
      `/shares?cursor=${Buffer.from(JSON.stringify({ us: "'; drop table shares; --", id: uuid })).toString("base64url")}`,
    ],
    ["GET", `/shares?cursor=${Buffer.from(JSON.stringify({ us: 1e300, id: uuid })).toString("base64url")}`],
    ["GET", "/shares?fileId=nope"],
    ["GET", "/shares/not-a-uuid"],
    ["GET", `/shares/${uuid}?limit=0`],
    ["GET", `/shares/${uuid}?before=abc`],
    ["GET", `/shares/${uuid}?before=-1`],
    ["DELETE", "/shares/not-a-uuid"],
    ["DELETE", "/shares/%00"],
  ])("%s %s answers 400", async (method, path) => {
    const res = await api(url, method, path, { user });
    expect(res.status).toBe(400);
    expectErrorBody(res, path);
  });

  it("POST /s/:token/download refuses malformed bodies with 400 and counts nothing", async () => {
    const raw = async (body: string, type = "application/json") =>
      fetch(`${url}/s/${token}/download`, { method: "POST", headers: { "Content-Type": type }, body }).then(
        async (res) => ({
          status: res.status,
          body: await res.json(),
        }),
      );
    for (const [body, type] of [
      ["{not json", "application/json"],
      ['{"password": 42}', "application/json"],
      ['{"password": ["a", "b"]}', "application/json"],
      [JSON.stringify({ password: "x".repeat(2000) }), "application/json"],
      ["[1]", "application/json"],
      ['"right one"', "application/json"],
      ["password=a&password=b", "application/x-www-form-urlencoded"],
    ]) {
      const res = await raw(body, type);
      expect([body, res.status]).toEqual([body, 400]);
      expectErrorBody(res, body);
    }
    const shown = await api(url, "GET", `/shares/${shareId}`, { user });
    expect(shown.body.share.downloadCount).toBe(0);
  });

  it("answers odd tokens, methods and paths with 4xx", async () => {
    for (const [method, path] of [
      ["GET", "/s/%00"],
      ["GET", `/s/${"a".repeat(2000)}`],
      ["GET", "/s/%C0%80"],
      ["POST", "/s/%00/download"],
      ["GET", "/s/..%2F..%2Fetc%2Fpasswd"],
      ["PUT", `/s/${token}`],
      ["GET", `/s/${token}/download`],
      ["PATCH", `/shares/${shareId}`],
      ["PUT", "/shares"],
    ]) {
      const res = await api(url, method, path, { user, headers: { "X-Share-Password": "\u00ff".repeat(50) } });
      expectErrorBody(res, `${method} ${path}`);
    }
  });
});
