import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import type { Page, Route } from "@playwright/test";
import { eicar } from "../test/samples";
import {
  type Account,
  adminAccount,
  apiCall,
  expect,
  expectAccessible,
  newAccount,
  signIn,
  test,
  tokenOf,
  screenshotPath,
} from "./fixtures";

const phone = (page: Page) => (page.viewportSize()?.width ?? 1280) < 768;
const panelOf = (page: Page) => page.getByRole("region", { name: "Uploads" });
const rowOf = (page: Page, name: string) => panelOf(page).getByRole("listitem").filter({ hasText: name });
const tag = () => randomUUID().slice(0, 8);

/** What the user gets through the file browser's "Upload files" input. */
async function upload(page: Page, files: { name: string; mimeType?: string; buffer: Buffer }[] | string) {
  await page
    .getByLabel("Upload files")
    .setInputFiles(
      typeof files === "string" ? files : files.map((f) => ({ mimeType: "application/octet-stream", ...f })),
    );
}

async function fileNamed(account: Account, name: string) {
  const token = await tokenOf(account);
  const { files } = await apiCall<{ files: { id: string; name: string }[] }>(
    "GET",
    "/folders/root?limit=200",
    undefined,
    token,
  );
  const found = files.find((file) => file.name === name);
  if (!found) throw new Error(`no file ${name}`);
  return (
    await apiCall<{ file: { id: string; sha256: string | null; status: string } }>(
      "GET",
      `/files/${found.id}`,
      undefined,
      token,
    )
  ).file;
}

test("two files go up through the panel, are scanned and appear in the listing", async ({ page }) => {
  const account = await newAccount();
  await signIn(page, account, "/");
  const names = [`notes ${tag()}.txt`, `data ${tag()}.bin`];
  await upload(page, [
    { name: names[0], mimeType: "text/plain", buffer: Buffer.from("Coffer keeps my notes.\n".repeat(200)) },
    { name: names[1], buffer: randomBytes(300_000) },
  ]);
  const panel = panelOf(page);
  await expect(panel).toBeVisible();
  for (const name of names) {
    await expect(rowOf(page, name)).toContainText("Ready");
    await expect(panel.getByRole("progressbar", { name: `${name} upload progress` })).toHaveAttribute(
      "aria-valuenow",
      "100",
    );
    await expect(page.getByRole("main").getByText(name, { exact: true }).first()).toBeVisible();
  }
  await expect(panel).toContainText("2 of 2 files");
  await expect(page.getByRole("status").filter({ hasText: ": uploaded." })).toBeAttached();
  await expectAccessible(page);

  await panel.getByRole("button", { name: "Collapse uploads" }).click();
  await expect(panel.getByRole("listitem")).toHaveCount(0);
  await panel.getByRole("button", { name: "Expand uploads" }).click();
  await expect(panel.getByRole("listitem")).toHaveCount(2);
  if (phone(page)) {
    const box = await panel.boundingBox();
    expect(box?.width).toBe(390);
  }
});

test("a file over the quota is refused with the server's message", async ({ page }) => {
  const account = await newAccount();
  const { user } = await apiCall<{ user: { id: string } }>("GET", "/me", undefined, await tokenOf(account));
  await apiCall("PATCH", `/admin/users/${user.id}`, { quotaBytes: 10_000 }, await tokenOf(adminAccount));
  await signIn(page, account, "/");
  const name = `too big ${tag()}.bin`;
  await upload(page, [{ name, buffer: randomBytes(50_000) }]);
  await expect(rowOf(page, name)).toContainText("does not fit in your quota");
  await expect(panelOf(page).getByRole("button", { name: `Remove ${name} from the list` })).toBeVisible();
  await expectAccessible(page);
});

test("an infected file ends as Threat found", async ({ page }) => {
  const account = await newAccount();
  await signIn(page, account, "/");
  const name = `eicar ${tag()}.txt`;
  await upload(page, [{ name, mimeType: "text/plain", buffer: eicar }]);
  await expect(rowOf(page, name)).toContainText("Threat found");
  await expect(page.getByRole("status").filter({ hasText: `${name}: threat found.` })).toBeAttached();
});

test("a 64 MiB upload paused, the page reloaded, the file picked again: it completes with the right bytes", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  const account = await newAccount();
  const name = `big-${tag()}.bin`;
  const bytes = randomBytes(64 * 1024 * 1024);
  // Playwright hands buffers over 50 MB only as a file on disk; its mtime stays put between the picks.
  const path = testInfo.outputPath(name);
  await writeFile(path, bytes);
  const other = testInfo.outputPath("other.bin");
  await writeFile(other, randomBytes(1000));

  // Let three part PUTs through to storage, hold the rest: the upload stops part-way, deterministically.
  let passed = 0;
  const held: Route[] = [];
  await page.route(
    (url) => url.searchParams.has("partNumber") && url.searchParams.has("uploadId"),
    async (route) => {
      if (route.request().method() !== "PUT" || passed < 3) {
        if (route.request().method() === "PUT") passed += 1;
        return route.continue();
      }
      held.push(route);
    },
  );
  await signIn(page, account, "/");
  await upload(page, path);
  const bar = panelOf(page).getByRole("progressbar", { name: `${name} upload progress` });
  await expect
    .poll(async () => Number(await bar.getAttribute("aria-valuenow")), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(20);
  await expect(rowOf(page, name)).toContainText("of 64 MB");
  await expectAccessible(page);
  if (!phone(page)) await page.screenshot({ path: screenshotPath("upload-panel") });
  else await page.screenshot({ path: screenshotPath("upload-panel-phone") });

  await panelOf(page)
    .getByRole("button", { name: `Pause ${name}` })
    .click();
  await expect(rowOf(page, name)).toContainText("Paused");
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.reload();
  await expect(rowOf(page, name)).toContainText(`Pick ${name} again to resume`);

  const pick = async (file: string) => {
    const [chooser] = await Promise.all([
      page.waitForEvent("filechooser"),
      panelOf(page)
        .getByRole("button", { name: `Pick ${name} again` })
        .click(),
    ]);
    await chooser.setFiles(file);
  };
  await pick(other);
  await expect(rowOf(page, name).getByRole("alert")).toContainText(`pick “${name}”`);
  await pick(path);
  await expect(rowOf(page, name)).toContainText("Ready", { timeout: 120_000 });

  const file = await fileNamed(account, name);
  expect(file.status).toBe("ready");
  expect(file.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
  expect(held.length).toBeGreaterThan(0);
});

test("a thousand files queue without freezing the page: the panel draws the first hundred", async ({ page }) => {
  const account = await newAccount();
  await signIn(page, account, "/");
  await expect(page.getByRole("heading", { name: "My files" })).toBeVisible();
  // Offline, the engine queues and starts nothing: the test is about the page, not the server.
  await page.context().setOffline(true);
  await page.evaluate(() => {
    const files = Array.from(
      { length: 1000 },
      (_, i) => new File([`file ${i}\n`], `queued-${i}.txt`, { type: "text/plain" }),
    );
    window.dispatchEvent(new CustomEvent("coffer:upload-files", { detail: { files, folderId: null } }));
  });
  // The page stays usable because the panel draws a hundred rows, whatever is queued.
  const panel = panelOf(page);
  await expect(panel).toContainText("0 of 1000 files");
  await expect(panel).toContainText("Offline");
  await expect(panel.getByRole("listitem")).toHaveCount(100);
  await expect(panel.getByText("+ 900 more")).toBeVisible();
  await panel.getByRole("button", { name: "Cancel all uploads" }).click();
  await expect(panel).toContainText("0 of 0 files");
  await page.context().setOffline(false);
});

test("a folder upload recreates its tree, reusing folders that exist", async ({ page }, testInfo) => {
  const account = await newAccount();
  const root = testInfo.outputPath(`album-${tag()}`);
  await mkdir(`${root}/raw`, { recursive: true });
  await writeFile(`${root}/cover.txt`, "cover\n");
  await writeFile(`${root}/raw/one.txt`, "one\n");
  await signIn(page, account, "/");
  const album = root.split("/").pop()!;
  await page.getByLabel("Upload folder").setInputFiles(root);
  await expect(panelOf(page)).toContainText("2 of 2 files", { timeout: 30_000 });
  // The same folder again, with one more file: the folders are reused, the names already there refused.
  await writeFile(`${root}/raw/two.txt`, "two\n");
  await page.getByLabel("Upload folder").setInputFiles(root);
  await expect(rowOf(page, "two.txt")).toContainText("Ready", { timeout: 30_000 });
  await expect(rowOf(page, "one.txt")).toHaveCount(2);
  await expect(panelOf(page)).toContainText("3 of 3 files");
  const token = await tokenOf(account);
  type Listing = { folders: { id: string; name: string }[]; files: { name: string }[] };
  const top = await apiCall<Listing>("GET", "/folders/root", undefined, token);
  const albumFolder = top.folders.filter((folder) => folder.name === album);
  expect(albumFolder).toHaveLength(1);
  const inside = await apiCall<Listing>("GET", `/folders/${albumFolder[0].id}`, undefined, token);
  expect(inside.folders.map((folder) => folder.name)).toEqual(["raw"]);
  expect(inside.files.map((file) => file.name)).toContain("cover.txt");
  const raw = await apiCall<Listing>("GET", `/folders/${inside.folders[0].id}`, undefined, token);
  expect(raw.files.map((file) => file.name).sort()).toEqual(["one.txt", "two.txt"]);
});
