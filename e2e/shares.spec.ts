import { randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Browser, Page } from "@playwright/test";
import {
  apiCall,
  expect,
  expectAccessible,
  newAccount,
  signIn,
  test,
  tokenOf,
  uploadThroughApi,
  screenshotPath,
} from "./fixtures";

/** A browser context of its own, signed in as nobody, at the test's width. */
async function anonymousPage(browser: Browser, like: Page): Promise<Page> {
  const context = await browser.newContext({
    baseURL: new URL(like.url()).origin,
    viewport: like.viewportSize(),
    acceptDownloads: true,
  });
  return context.newPage();
}

const phone = (page: Page) => (page.viewportSize()?.width ?? 1280) < 768;

test("an owner shares a file with a password and one download; a visitor downloads it once", async ({
  page,
  browser,
}) => {
  const owner = await newAccount();
  const name = `Résumé ${randomUUID().slice(0, 8)}.txt`;
  const bytes = Buffer.from(`${randomBytes(3000).toString("base64")}\n`);
  const fileId = await uploadThroughApi(await tokenOf(owner), name, bytes);

  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await signIn(page, owner, `/shares?fileId=${fileId}`);
  const dialog = page.getByRole("dialog", { name: `Share ${name}` });
  // The first page of a session loads the most (session, lazy page, file): allow for a busy machine.
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await dialog.getByLabel("Password").fill("open sesame");
  await dialog.getByLabel("Maximum downloads").fill("1");
  await dialog.getByLabel("Expires").fill(`${new Date().getFullYear() + 1}-06-30T18:30`);
  await dialog.getByRole("button", { name: "Create link" }).click();
  const link = dialog.getByRole("textbox", { name: "Link" });
  await expect(link).toHaveValue(/\/s\/[\w-]{43}$/);
  const url = await link.inputValue();
  await dialog.getByRole("button", { name: "Copy link" }).click();
  await expect(page.getByText("Link copied")).toBeVisible();
  expect(await page.evaluate("navigator.clipboard.readText()")).toBe(url);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page).toHaveURL(/\/shares$/);
  await expect(page.getByText(name)).toBeVisible();
  await expect(page.getByText("Active")).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: screenshotPath(`shares${phone(page) ? "-phone" : ""}`) });

  const visitor = await anonymousPage(browser, page);
  await visitor.goto(new URL(url).pathname);
  await expect(visitor.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(visitor.getByText("1 download left")).toBeVisible();
  await expect(visitor.getByText(`Available until Jun 30, ${new Date().getFullYear() + 1}`)).toBeVisible();
  await expect(visitor.getByRole("navigation")).toHaveCount(0);
  await expectAccessible(visitor);
  await visitor.screenshot({ path: screenshotPath(`share-page${phone(page) ? "-phone" : ""}`) });

  await visitor.getByLabel("Password").fill("not the password");
  await visitor.getByRole("button", { name: "Download" }).click();
  await expect(visitor.getByRole("alert")).toContainText("The password is wrong.");

  await visitor.getByLabel("Password").fill("open sesame");
  const [download] = await Promise.all([
    visitor.waitForEvent("download"),
    visitor.getByRole("button", { name: "Download" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(name);
  expect((await readFile(await download.path())).equals(bytes)).toBe(true);
  await expect(visitor.getByText("it no longer works")).toBeVisible();

  await visitor.reload();
  await expect(visitor.getByRole("heading", { level: 1, name: "This link is no longer available" })).toBeVisible();
  await expect(visitor.getByText("downloaded as many times as it allowed")).toBeVisible();
  await expectAccessible(visitor);
  await visitor.screenshot({ path: test.info().outputPath("share-page-gone.png") });

  await page.reload();
  await expect(page.getByText("Used up")).toBeVisible();
  await page.getByRole("button", { name: `Access log: ${name}` }).click();
  const log = page.getByRole("dialog", { name: `Access log: ${name}` });
  const entry = log.getByRole("listitem");
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText("127.0.0.1");
  await expect(entry).toContainText("Chrome");
  await expect(entry).toContainText("KB");
  await expectAccessible(page);
  await page.screenshot({ path: test.info().outputPath("access-log.png") });
  await visitor.context().close();
});

for (const { maxDownloads, what } of [
  { maxDownloads: undefined, what: "no limit: the browser follows the redirect to storage" },
  { maxDownloads: 3, what: "a limit: the API streams it" },
]) {
  test(`a visitor downloads from a link with ${what}`, async ({ page }) => {
    const owner = await newAccount();
    const token = await tokenOf(owner);
    const name = `Photos ${randomUUID().slice(0, 8)} été.txt`;
    const bytes = Buffer.from(`${randomBytes(200_000).toString("base64")}\n`);
    const fileId = await uploadThroughApi(token, name, bytes);
    const { url } = await apiCall<{ url: string }>(
      "POST",
      "/shares",
      { fileId, password: "open sesame", maxDownloads },
      token,
    );

    // This test's page is signed in as nobody: it is the visitor.
    const visitor = page;
    await visitor.goto(new URL(url).pathname);
    await expect(visitor.getByText(maxDownloads ? "3 downloads left" : "No download limit")).toBeVisible();
    await visitor.getByLabel("Password").fill("wrong");
    await visitor.getByRole("button", { name: "Download" }).click();
    await expect(visitor.getByRole("alert")).toContainText("The password is wrong.");

    await visitor.getByLabel("Password").fill("open sesame");
    const redirects: string[] = [];
    visitor.on("response", (response) => {
      if (response.status() === 303) redirects.push(response.headers()["location"] ?? "");
    });
    const [download] = await Promise.all([
      visitor.waitForEvent("download"),
      visitor.getByRole("button", { name: "Download" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(name);
    expect((await readFile(await download.path())).equals(bytes)).toBe(true);
    const appOrigin = new URL(visitor.url()).origin;
    if (maxDownloads) {
      // Streamed by the API, on the app's origin, so the count stays exact.
      expect(redirects).toHaveLength(0);
      expect(new URL(download.url()).origin).toBe(appOrigin);
      await expect(visitor.getByText("2 downloads left")).toBeVisible();
    } else {
      // The bytes came from storage's own origin, not through the API.
      expect(redirects).toHaveLength(1);
      expect(new URL(redirects[0]).origin).not.toBe(appOrigin);
      expect(new URL(download.url()).origin).toBe(new URL(redirects[0]).origin);
    }
    await expect(visitor.getByText("your browser saves it")).toBeVisible();
    await expect(visitor.getByRole("button", { name: "Download" })).toBeVisible();
    await expectAccessible(visitor);
  });
}

test("an unknown link says it does not exist", async ({ page }) => {
  await page.goto(`/s/${randomBytes(32).toString("base64url")}`);
  await expect(page.getByRole("heading", { level: 1, name: "This link does not exist" })).toBeVisible();
  await expectAccessible(page);
});

test("the owner revokes a link and the public page says so", async ({ page, browser }) => {
  const owner = await newAccount();
  const token = await tokenOf(owner);
  const name = `plan-${randomUUID().slice(0, 8)}.txt`;
  const fileId = await uploadThroughApi(token, name, Buffer.from("the plan\n"));
  const { url } = await apiCall<{ url: string }>("POST", "/shares", { fileId }, token);

  await signIn(page, owner, "/shares");
  await page.getByRole("button", { name: `Revoke: ${name}` }).click();
  const confirm = page.getByRole("dialog", { name: "Revoke this link?" });
  await confirm.getByRole("button", { name: "Revoke link" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText("Revoked", { exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: `Revoke: ${name}` })).toBeDisabled();

  const visitor = await anonymousPage(browser, page);
  await visitor.goto(new URL(url).pathname);
  await expect(visitor.getByRole("heading", { level: 1, name: "This link is no longer available" })).toBeVisible();
  await expect(visitor.getByText("has revoked it")).toBeVisible();
  await visitor.context().close();
});

test("a file that is not ready cannot be shared, and the server says why", async ({ page }) => {
  const owner = await newAccount();
  const { file } = await apiCall<{ file: { id: string } }>(
    "POST",
    "/files/uploads",
    { name: "half.bin", sizeBytes: 10 },
    await tokenOf(owner),
  );
  await signIn(page, owner, `/shares?fileId=${file.id}`);
  const dialog = page.getByRole("dialog", { name: "Share half.bin" });
  await dialog.getByRole("button", { name: "Create link" }).click();
  await expect(dialog.getByRole("alert")).toContainText("only ready files can be shared");
});
