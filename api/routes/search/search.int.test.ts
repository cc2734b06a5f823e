import { createUser, type TestUser } from "../../../test/factories";
import { startFilesTestbed, type FilesTestbed } from "../../../test/files-testbed";
import { api, initUpload, randomBytesOf, uploadFile } from "../../../test/uploads";

interface Hit {
  kind: "file" | "folder";
  id: string;
  name: string;
  folderId: string | null;
  status?: string;
  sizeBytes?: number;
  path: { id: string; name: string }[];
}
interface Page {
  results: Hit[];
  nextCursor: string | null;
}

describe("GET /search", () => {
  let bed: FilesTestbed;
  let url: string;
  let alice: TestUser;
  let mallory: TestUser;
  let reports: string;
  let q4: string;

  const search = (user: TestUser, query: string) => api<Page>(url, "GET", `/search?${query}`, { user });
  const names = (page: Page) => page.results.map((hit) => hit.name);

  beforeAll(async () => {
    bed = await startFilesTestbed({}, { worker: false });
    url = bed.server.url;
    alice = await createUser(bed.deps);
    mallory = await createUser(bed.deps);
    const folder = async (user: TestUser, name: string, parentId?: string) =>
      (await api(url, "POST", "/folders", { user, body: { name, parentId } })).body.folder.id as string;
    reports = await folder(alice, "Reports");
    q4 = await folder(alice, "Q4 budget", reports);
    await uploadFile(url, alice, "Budget 2026.xlsx", randomBytesOf(100), { folderId: q4 });
    await uploadFile(url, alice, "budget_final.pdf", randomBytesOf(200));
    await uploadFile(url, alice, "budgetXfinal.pdf", randomBytesOf(300));
    await uploadFile(url, alice, "100% budget.txt", randomBytesOf(10));
    await uploadFile(url, alice, "notes.txt", randomBytesOf(10));
    await initUpload(url, alice, "budget upload.bin", 1000);
    const failed = (await initUpload(url, alice, "budget aborted.bin", 1000)).body.file.id;
    await api(url, "DELETE", `/files/${failed}/upload`, { user: alice });
    const { fileId: trashed } = await uploadFile(url, alice, "budget trashed.txt", randomBytesOf(10));
    await api(url, "DELETE", `/files/${trashed}`, { user: alice });
    const trashedFolder = await folder(alice, "Old budget");
    await uploadFile(url, alice, "budget inside old.txt", randomBytesOf(10), { folderId: trashedFolder });
    await api(url, "DELETE", `/folders/${trashedFolder}`, { user: alice });
    await folder(mallory, "Mallory budget");
    await uploadFile(url, mallory, "budget of mallory.txt", randomBytesOf(10));
  });
  afterAll(() => bed.close());

  it("finds live folders and files whose name contains q, case-insensitively, with their folder path", async () => {
    const res = await search(alice, "q=BUDGET");
    expect(res.status).toBe(200);
    expect(names(res.body).sort()).toEqual(
      [
        "100% budget.txt",
        "Budget 2026.xlsx",
        "Q4 budget",
        "budget upload.bin",
        "budgetXfinal.pdf",
        "budget_final.pdf",
      ].sort(),
    );
    const file = res.body.results.find((hit) => hit.name === "Budget 2026.xlsx")!;
    expect(file).toMatchObject({ kind: "file", folderId: q4, status: "processing", sizeBytes: 100 });
    expect(file.path).toEqual([
      { id: reports, name: "Reports" },
      { id: q4, name: "Q4 budget" },
    ]);
    const folder = res.body.results.find((hit) => hit.name === "Q4 budget")!;
    expect(folder).toMatchObject({
      kind: "folder",
      id: q4,
      folderId: reports,
      path: [{ id: reports, name: "Reports" }],
    });
    expect(folder).not.toHaveProperty("status");
    expect(res.body.results.find((hit) => hit.name === "100% budget.txt")!.path).toEqual([]);
  });

  it("never shows another user's items, trashed items or failed uploads", async () => {
    const all = [...names((await search(alice, "q=budget")).body), ...names((await search(alice, "q=o")).body)];
    expect(all.some((name) => /mallory|trashed|aborted|old/i.test(name))).toBe(false);
    expect(names((await search(mallory, "q=budget")).body).sort()).toEqual(["Mallory budget", "budget of mallory.txt"]);
  });

  it("takes % and _ literally", async () => {
    expect(names((await search(alice, `q=${encodeURIComponent("_final")}`)).body)).toEqual(["budget_final.pdf"]);
    expect(names((await search(alice, `q=${encodeURIComponent("100%")}`)).body)).toEqual(["100% budget.txt"]);
    expect(names((await search(alice, `q=${encodeURIComponent("%")}`)).body)).toEqual(["100% budget.txt"]);
  });

  it("pages with the cursor through every hit exactly once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Page } = await search(
        alice,
        `q=budget&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(res.status).toBe(200);
      expect(res.body.results.length).toBeLessThanOrEqual(2);
      seen.push(...names(res.body));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(6);
    expect(new Set(seen).size).toBe(6);
    expect(seen.sort()).toEqual(names((await search(alice, "q=budget")).body).sort());
  });

  it.each([
    ["no q", ""],
    ["an empty q", "q="],
    ["a blank q", "q=%20%20"],
    ["limit 0", "q=budget&limit=0"],
    ["limit 101", "q=budget&limit=101"],
    ["a cursor it never gave out", "q=budget&cursor=nope"],
    ["a q of 256 characters", `q=${"x".repeat(256)}`],
  ])("answers %s with 400 and the error body", async (_label, query) => {
    const res = await search(alice, query);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: { code: "validation_failed", message: expect.any(String) },
      requestId: expect.any(String),
    });
  });

  it("answers 401 without a token", async () => {
    expect((await api(url, "GET", "/search?q=budget")).status).toBe(401);
  });
});
