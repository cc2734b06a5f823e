import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { api, initUpload, randomBytesOf, uploadFile, waitForStatus } from "../../../test/uploads";

describe("files and folders: other users' ids, bad input", () => {
  let bed: FilesTestbed;
  let url: string;
  let alice: TestUser;
  let mallory: TestUser;
  let aliceFile: string;
  let aliceUpload: string;
  let aliceFolder: string;
  let malloryFile: string;
  let malloryFolder: string;

  beforeAll(async () => {
    bed = await startFilesTestbed();
    url = bed.server.url;
    alice = await createUser(bed.deps);
    mallory = await createUser(bed.deps);
    aliceFolder = (await api(url, "POST", "/folders", { user: alice, body: { name: "Private" } })).body.folder.id;
    ({ fileId: aliceFile } = await uploadFile(url, alice, "secret.txt", randomBytesOf(1000), {
      folderId: aliceFolder,
    }));
    await waitForStatus(url, alice, aliceFile, ["ready"]);
    aliceUpload = (await initUpload(url, alice, "open.bin", 1000)).body.file.id;
    malloryFolder = (await api(url, "POST", "/folders", { user: mallory, body: { name: "Mine" } })).body.folder.id;
    ({ fileId: malloryFile } = await uploadFile(url, mallory, "mine.txt", randomBytesOf(10)));
  });
  afterAll(() => bed.close());

  it("answers 404 on every route given another user's file or folder, and changes nothing", async () => {
    const attempts: [string, string, unknown?][] = [
      ["POST", `/files/${aliceUpload}/parts`, { partNumbers: [1] }],
      ["GET", `/files/${aliceUpload}/parts`],
      ["POST", `/files/${aliceUpload}/heartbeat`],
      ["POST", `/files/${aliceUpload}/complete`, { parts: [{ partNumber: 1, etag: '"x"' }] }],
      ["DELETE", `/files/${aliceUpload}/upload`],
      ["GET", `/files/${aliceFile}`],
      ["GET", `/files/${aliceFile}/download`],
      ["GET", `/files/${aliceFile}/download-url`],
      ["GET", `/files/${aliceFile}/thumbnail`],
      ["PATCH", `/files/${aliceFile}`, { name: "mine now.txt" }],
      ["DELETE", `/files/${aliceFile}`],
      ["DELETE", `/files/${aliceFile}?permanent=true`],
      ["POST", `/files/${aliceFile}/restore`],
      ["GET", `/folders/${aliceFolder}`],
      ["PATCH", `/folders/${aliceFolder}`, { name: "taken" }],
      ["DELETE", `/folders/${aliceFolder}`],
      ["POST", `/folders/${aliceFolder}/restore`],
      ["POST", "/folders", { name: "inside", parentId: aliceFolder }],
      ["POST", "/files/uploads", { name: "inside.txt", sizeBytes: 1, folderId: aliceFolder }],
      ["PATCH", `/files/${malloryFile}`, { folderId: aliceFolder }],
      ["PATCH", `/folders/${malloryFolder}`, { parentId: aliceFolder }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await api(url, method, path, { user: mallory, body });
      expect({ method, path, status: res.status, code: res.body?.error?.code }).toEqual({
        method,
        path,
        status: 404,
        code: "not_found",
      });
    }
    const file = await api(url, "GET", `/files/${aliceFile}`, { user: alice });
    expect(file.body.file).toMatchObject({
      name: "secret.txt",
      status: "ready",
      trashedAt: null,
      folderId: aliceFolder,
    });
    expect((await api(url, "GET", `/folders/${aliceFolder}`, { user: alice })).body.folder.name).toBe("Private");
    expect((await api(url, "POST", `/files/${aliceUpload}/heartbeat`, { user: alice })).status).toBe(204);
  });

  it("gives a ready file's presigned URL as JSON, saved under its name; refuses files that are not ready or trashed", async () => {
    const res = await api(url, "GET", `/files/${aliceFile}/download-url`, { user: alice });
    expect(res.status).toBe(200);
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const object = await fetch(res.body.url);
    expect(object.status).toBe(200);
    expect(object.headers.get("content-disposition")).toContain('filename="secret.txt"');
    expect((await api(url, "GET", `/files/${aliceUpload}/download-url`, { user: alice })).body.error.code).toBe(
      "not_ready",
    );
    const { fileId: trashed } = await uploadFile(url, alice, "gone.txt", randomBytesOf(10));
    await waitForStatus(url, alice, trashed, ["ready"]);
    await api(url, "DELETE", `/files/${trashed}`, { user: alice });
    const refused = await api(url, "GET", `/files/${trashed}/download-url`, { user: alice });
    expect({ status: refused.status, code: refused.body.error.code }).toEqual({ status: 409, code: "file_trashed" });
  });

  it("answers 401 with the error body when there is no valid token", async () => {
    const variants: Record<string, string>[] = [
      {},
      { Authorization: "Bearer not-a-jwt" },
      { Authorization: "Basic abc" },
    ];
    for (const headers of variants) {
      const res = await api(url, "GET", `/files/${aliceFile}`, { headers });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({
        error: { code: expect.any(String), message: expect.any(String) },
        requestId: expect.any(String),
      });
    }
  });

  const longName = "x".repeat(1024 * 1024 - 100);
  const badInputs: [string, string, unknown][] = [
    ["POST", "/files/uploads", "{not json"],
    ["POST", "/files/uploads", {}],
    ["POST", "/files/uploads", { name: "a.txt", sizeBytes: "12" }],
    ["POST", "/files/uploads", { name: "a.txt", sizeBytes: -1 }],
    ["POST", "/files/uploads", { name: "a.txt", sizeBytes: 1.5 }],
    ["POST", "/files/uploads", { name: "a/b.txt", sizeBytes: 1 }],
    ["POST", "/files/uploads", { name: "..", sizeBytes: 1 }],
    ["POST", "/files/uploads", { name: "nul\u0000.txt", sizeBytes: 1 }],
    ["POST", "/files/uploads", { name: "\ud800", sizeBytes: 1 }],
    ["POST", "/files/uploads", { name: longName, sizeBytes: 1 }],
    ["POST", "/files/uploads", { name: "a.txt", sizeBytes: 1, mimeType: "not a type" }],
    ["POST", "/files/uploads", { name: "a.txt", sizeBytes: 1, folderId: "not-a-uuid" }],
    ["POST", "/files/uploads", [1, 2, 3]],
    ["POST", "/files/not-a-uuid/parts", { partNumbers: [1] }],
    ["POST", "/files/00000000-0000-4000-8000-000000000000/parts", { partNumbers: [0] }],
    ["POST", "/files/00000000-0000-4000-8000-000000000000/parts", { partNumbers: [] }],
    ["POST", "/files/00000000-0000-4000-8000-000000000000/parts", { partNumbers: "1" }],
    ["POST", "/files/00000000-0000-4000-8000-000000000000/complete", { parts: [{ partNumber: 1 }] }],
    ["POST", "/files/00000000-0000-4000-8000-000000000000/complete", { parts: "all" }],
    ["PATCH", "/files/00000000-0000-4000-8000-000000000000", {}],
    ["PATCH", "/files/00000000-0000-4000-8000-000000000000", { name: "" }],
    ["DELETE", "/files/00000000-0000-4000-8000-000000000000?permanent=yes", undefined],
    ["POST", "/folders", { name: "." }],
    ["POST", "/folders", { name: 42 }],
    ["POST", "/folders", { name: "ok", parentId: 7 }],
    ["GET", "/folders/root?limit=0", undefined],
    ["GET", "/folders/root?limit=abc", undefined],
    ["GET", "/folders/root?cursor=%%%", undefined],
    ["GET", "/folders/root?cursor=eyJ4IjoxfQ", undefined],
    [
      "GET",
      `/folders/root?cursor=${Buffer.from(JSON.stringify({ kind: "file", name: "\u0000", id: "00000000-0000-4000-8000-000000000000" })).toString("base64url")}`,
      undefined,
    ],
    ["PATCH", "/folders/00000000-0000-4000-8000-000000000000", { parentId: "nope" }],
    ["GET", "/trash?limit=-5", undefined],
  ];

  it.each(badInputs)("answers %s %s with 400 and the error body for bad input", async (method, path, body) => {
    const res = await api(url, method, path, { user: mallory, body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) },
      requestId: expect.any(String),
    });
  });

  it("answers a body over 1 MB with 413 and the error body", async () => {
    const res = await api(url, "POST", "/files/uploads", {
      user: mallory,
      body: { name: "x".repeat(2 * 1024 * 1024), sizeBytes: 1 },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });
});
