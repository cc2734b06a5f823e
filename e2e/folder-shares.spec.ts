import { randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "@playwright/test";
import { readZip } from "../test/zip";
import {
  adminAccount,
  apiCall,
  expect,
  expectAccessible,
  newAccount,
  screenshotPath,
  signIn,
  test,
  tokenOf,
  uploadThroughApi,
} from "./fixtures";

const phone = (page: Page) => (page.viewportSize()?.width ?? 1280) < 768;

/** A browser context of its own, signed in as nobody, at the test's width. */
async function anonymousPage(browser: Browser, like: Page): Promise<Page> {
  const context = await browser.newContext({
    baseURL: new URL(like.url()).origin,
    viewport: like.viewportSize(),
    acceptDownloads: true,
  });
  return context.newPage();
}

test("an owner shares a folder from the file browser, edits the link; a visitor sees its files and saves one ZIP", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const owner = await newAccount();
  const token = await tokenOf(owner);
  const folderName = `Trip ${randomUUID().slice(0, 8)}`;
  const folder = await apiCall<{ folder: { id: string } }>("POST", "/folders", { name: folderName }, token);
  const day = await apiCall<{ folder: { id: string } }>(
    "POST",
    "/folders",
    { name: "day 1", parentId: folder.folder.id },
    token,
  );
  const top = Buffer.from(`${randomBytes(2000).toString("base64")}\n`);
  const nested = Buffer.from(`${randomBytes(5000).toString("base64")}\n`);
  await uploadThroughApi(token, "plan.txt", top, { folderId: folder.folder.id });
  await uploadThroughApi(token, "photo notes.txt", nested, { folderId: day.folder.id });

  await signIn(page, owner, "/");
  await page.getByRole("button", { name: `Actions for ${folderName}` }).click({ timeout: 30_000 });
  await page.getByRole("menuitem", { name: "Share" }).click();
  const dialog = page.getByRole("dialog", { name: `Share ${folderName}` });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await dialog.getByLabel("Maximum downloads").fill("1");
  await dialog.getByRole("button", { name: "Create link" }).click();
  const link = dialog.getByRole("textbox", { name: "Link" });
  await expect(link).toHaveValue(/\/s\/[\w-]{43}$/);
  const url = await link.inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();

  // The link's limit goes from 1 to 3 in the edit dialog.
  const label = `${folderName} (folder)`;
  await expect(page.getByText(label)).toBeVisible();
  await page.getByRole("button", { name: `Edit: ${label}` }).click();
  const edit = page.getByRole("dialog", { name: `Edit the link to ${label}` });
  await edit.getByLabel("Maximum downloads").fill("3");
  await expectAccessible(page);
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByText("0 / 3")).toBeVisible();

  const visitor = await anonymousPage(browser, page);
  await visitor.goto(new URL(url).pathname);
  await expect(visitor.getByRole("heading", { level: 1, name: folderName })).toBeVisible();
  await expect(visitor.getByText("3 downloads left")).toBeVisible();
  const files = visitor.getByRole("table", { name: "Files in the folder" });
  await expect(files.getByRole("cell", { name: "day 1/photo notes.txt" })).toBeVisible();
  await expect(files.getByRole("cell", { name: "plan.txt" })).toBeVisible();
  await expectAccessible(visitor);
  await visitor.screenshot({ path: screenshotPath(`folder-share-page${phone(page) ? "-phone" : ""}`) });

  const [download] = await Promise.all([
    visitor.waitForEvent("download"),
    visitor.getByRole("button", { name: "Download" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${folderName}.zip`);
  const entries = await readZip(await readFile(await download.path()));
  expect(entries.map((entry) => entry.name)).toEqual(["day 1/photo notes.txt", "plan.txt"]);
  expect(entries[0]!.bytes.equals(nested)).toBe(true);
  expect(entries[1]!.bytes.equals(top)).toBe(true);
  await expect(visitor.getByText("2 downloads left")).toBeVisible();

  // The owner's list counts it, and the access log shows it.
  await page.reload();
  await expect(page.getByText("1 / 3")).toBeVisible({ timeout: 15_000 });
  await page.getByRole("button", { name: `Access log: ${label}` }).click();
  await expect(page.getByRole("list", { name: "Downloads" }).getByRole("listitem")).toHaveCount(1);
  await visitor.context().close();
});

test("an admin creates a plan, puts a user on it and clears the user's stuck uploads", async ({ page }) => {
  test.setTimeout(120_000);
  const user = await newAccount();
  const token = await tokenOf(user);
  await apiCall("POST", "/files/uploads", { name: "stuck.bin", sizeBytes: 4096 }, token);
  const planName = `team-${randomUUID().slice(0, 8)}`;

  await signIn(page, adminAccount, "/admin");
  await expect(page.getByRole("heading", { name: "Plans", level: 2 })).toBeVisible({ timeout: 30_000 });
  await page.getByRole("button", { name: "New plan" }).click();
  const create = page.getByRole("dialog", { name: "New plan" });
  await create.getByLabel("Name").fill(planName);
  await create.getByLabel("Quota (GB)").fill("3");
  await create.getByLabel("Maximum files").fill("250");
  await create.getByLabel("Largest file (MB)").fill("100");
  await create.getByRole("button", { name: "Save" }).click();
  await expect(create).toBeHidden();
  const plans = page.getByRole("table", { name: "Plans" });
  await expect(plans.getByRole("row", { name: new RegExp(planName) })).toContainText("250");

  const users = page.getByRole("list", { name: "Users", exact: true });
  const row = users.getByRole("listitem", { name: user.email });
  const loadMore = page.getByRole("button", { name: "Load more users" });
  // Wait for the list to show the user or offer more before deciding (it may still be loading).
  await expect(row.or(loadMore).first()).toBeVisible();
  while (!(await row.isVisible())) {
    await loadMore.click();
    await expect(row.or(loadMore).first()).toBeVisible();
  }
  await page.getByRole("button", { name: `Edit ${user.email}` }).click();
  const edit = page.getByRole("dialog", { name: `Edit ${user.email}` });
  await edit.getByLabel("Plan").selectOption({ label: `${planName} (3.0 GB)` });
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(edit).toBeHidden();
  await expect(users.getByRole("listitem", { name: user.email })).toContainText(`plan ${planName}`);
  const me = await apiCall<{ quota: { plan: string; maxFiles: number; quotaBytes: number } }>(
    "GET",
    "/me",
    undefined,
    token,
  );
  expect(me.quota).toMatchObject({ plan: planName, maxFiles: 250, quotaBytes: 3 * 1024 ** 3 });

  const slots = page.getByRole("list", { name: "Users with open uploads" });
  await expect(slots.getByRole("listitem", { name: user.email })).toContainText("1 of");
  await expectAccessible(page);
  await page.screenshot({
    path: screenshotPath(`admin-plans-concurrency${phone(page) ? "-phone" : ""}`),
    fullPage: true,
  });
  await page.getByRole("button", { name: `Clear the uploads of ${user.email}` }).click();
  await page.getByRole("dialog", { name: "Clear upload slots" }).getByRole("button", { name: "Abort uploads" }).click();
  await expect(page.getByText("1 upload aborted, 4.0 KB freed.")).toBeVisible();
  await expect(slots.getByRole("listitem", { name: user.email })).toHaveCount(0);
  const after = await apiCall<{ quota: { reservedBytes: number } }>("GET", "/me", undefined, token);
  expect(after.quota.reservedBytes).toBe(0);
});
