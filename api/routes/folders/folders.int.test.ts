import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { api, randomBytesOf, uploadFile, waitForStatus } from "../../../test/uploads";
import { fileKey } from "../../../lib/object-keys";

describe("folders and trash", () => {
  let bed: FilesTestbed;
  let url: string;
  beforeAll(async () => {
    bed = await startFilesTestbed();
    url = bed.server.url;
  });
  afterAll(() => bed.close());

  const mkdir = async (user: TestUser, name: string, parentId?: string) => {
    const res = await api(url, "POST", "/folders", { user, body: { name, parentId } });
    if (res.status !== 201) throw new Error(`mkdir ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.folder.id as string;
  };

  it("lists live content with breadcrumbs and pages through it with a cursor", async () => {
    const user = await createUser(bed.deps);
    const docs = await mkdir(user, "Docs");
    const year = await mkdir(user, "2026", docs);
    for (const name of ["c", "a", "b"]) await mkdir(user, name, year);
    await uploadFile(url, user, "notes.txt", randomBytesOf(100), { folderId: year });

    const first = await api(url, "GET", `/folders/${year}?limit=2`, { user });
    expect(first.status).toBe(200);
    expect(first.body.path.map((p: { name: string }) => p.name)).toEqual(["Docs", "2026"]);
    expect(first.body.folders.map((f: { name: string }) => f.name)).toEqual(["a", "b"]);
    expect(first.body.files).toEqual([]);
    const second = await api(url, "GET", `/folders/${year}?limit=2&cursor=${first.body.nextCursor}`, { user });
    expect(second.body.folders.map((f: { name: string }) => f.name)).toEqual(["c"]);
    expect(second.body.files.map((f: { name: string }) => f.name)).toEqual(["notes.txt"]);
    expect(second.body.nextCursor).toBeNull();

    const root = await api(url, "GET", "/folders/root", { user });
    expect(root.body).toMatchObject({ folder: null, path: [] });
    expect(root.body.folders.map((f: { name: string }) => f.name)).toContain("Docs");
  });

  it("refuses a second live folder of the same name in one parent with 409 name_taken", async () => {
    const user = await createUser(bed.deps);
    await mkdir(user, "Same");
    const again = await api(url, "POST", "/folders", { user, body: { name: "Same" } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("name_taken");
    // NFC and NFD spellings are one name.
    await mkdir(user, "Caf\u00e9");
    expect((await api(url, "POST", "/folders", { user, body: { name: "Cafe\u0301" } })).status).toBe(409);
  });

  it("renames and moves folders, but never into themselves or a descendant", async () => {
    const user = await createUser(bed.deps);
    const a = await mkdir(user, "A");
    const b = await mkdir(user, "B", a);
    const c = await mkdir(user, "C", b);
    for (const target of [a, b, c]) {
      const res = await api(url, "PATCH", `/folders/${a}`, { user, body: { parentId: target } });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toMatchObject({ reason: "invalid_move" });
    }
    const moved = await api(url, "PATCH", `/folders/${c}`, { user, body: { parentId: null, name: "C moved" } });
    expect(moved.status).toBe(200);
    expect(moved.body.folder).toMatchObject({ parentId: null, name: "C moved" });
  });

  it("trashes a folder with its content and restores both, renaming on a clash", async () => {
    const user = await createUser(bed.deps);
    const project = await mkdir(user, "Project");
    const inner = await mkdir(user, "Inner", project);
    const { fileId } = await uploadFile(url, user, "plan.txt", randomBytesOf(500), { folderId: inner });
    await waitForStatus(url, user, fileId, ["ready"]);

    expect((await api(url, "DELETE", `/folders/${project}`, { user })).status).toBe(200);
    expect((await api(url, "GET", `/folders/${inner}`, { user })).status).toBe(404);
    const trashedFile = await api(url, "GET", `/files/${fileId}`, { user });
    expect(trashedFile.body.file.trashedAt).not.toBeNull();
    expect((await api(url, "GET", `/files/${fileId}/download`, { user })).status).toBe(409);

    const trash = await api(url, "GET", "/trash", { user });
    expect(trash.body.folders.map((f: { id: string }) => f.id)).toEqual([project]);
    expect(trash.body.files).toEqual([]);

    // A new "Project" takes the name meanwhile.
    await mkdir(user, "Project");
    const restored = await api(url, "POST", `/folders/${project}/restore`, { user });
    expect(restored.status).toBe(200);
    expect(restored.body.folder.name).toBe("Project (1)");
    expect((await api(url, "GET", `/folders/${inner}`, { user })).status).toBe(200);
    expect((await api(url, "GET", `/files/${fileId}/download`, { user })).status).toBe(302);
  });

  it("refuses to trash a folder while an upload into it is open", async () => {
    const user = await createUser(bed.deps);
    const folder = await mkdir(user, "Busy");
    const open = await api(url, "POST", "/files/uploads", {
      user,
      body: { name: "still.bin", sizeBytes: 10, folderId: folder },
    });
    const refused = await api(url, "DELETE", `/folders/${folder}`, { user });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("upload_open");
    expect((await api(url, "DELETE", `/files/${open.body.file.id}/upload`, { user })).status).toBe(204);
    expect((await api(url, "DELETE", `/folders/${folder}`, { user })).status).toBe(200);
  });

  it("trashes and restores a single file, renaming it when its name was taken meanwhile", async () => {
    const user = await createUser(bed.deps);
    const { fileId } = await uploadFile(url, user, "report.pdf", randomBytesOf(300));
    await waitForStatus(url, user, fileId, ["ready"]);
    expect((await api(url, "DELETE", `/files/${fileId}`, { user })).status).toBe(200);
    const { fileId: newer } = await uploadFile(url, user, "report.pdf", randomBytesOf(200));
    expect((await api(url, "GET", "/trash", { user })).body.files.map((f: { id: string }) => f.id)).toEqual([fileId]);

    const restored = await api(url, "POST", `/files/${fileId}/restore`, { user });
    expect(restored.body.file).toMatchObject({ name: "report (1).pdf", trashedAt: null });
    const rename = await api(url, "PATCH", `/files/${fileId}`, { user, body: { name: "report.pdf" } });
    expect(rename.status).toBe(409);
    expect(newer).not.toBe(fileId);
  });

  it("deletes a file for good: object gone, bytes released", async () => {
    const user = await createUser(bed.deps);
    const { fileId } = await uploadFile(url, user, "gone.bin", randomBytesOf(4096));
    await waitForStatus(url, user, fileId, ["ready"]);
    expect((await api(url, "GET", "/me", { user })).body.quota.usedBytes).toBe(4096);
    expect((await api(url, "DELETE", `/files/${fileId}?permanent=true`, { user })).status).toBe(204);
    expect((await api(url, "GET", `/files/${fileId}`, { user })).status).toBe(404);
    expect(await bed.deps.storage.objectSize(fileKey({ ownerId: user.user.id, id: fileId }))).toBeNull();
    expect((await api(url, "GET", "/me", { user })).body.quota.usedBytes).toBe(0);
  });
});
