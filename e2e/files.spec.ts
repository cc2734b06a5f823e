import { randomBytes } from "node:crypto";
import type { Locator, Page } from "@playwright/test";
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

const phone = (page: Page) => (page.viewportSize()?.width ?? 1280) < 768;
const bytesOf = (size: number) => Buffer.from(randomBytes(size).toString("base64").slice(0, size));

const listing = (page: Page) => page.getByRole("table", { name: /^Contents of / });
const row = (page: Page, name: string) => listing(page).getByRole("row").filter({ hasText: name });

async function rowAction(page: Page, name: string, action: string) {
  await page.getByRole("button", { name: `Actions for ${name}` }).click();
  await page.getByRole("menuitem", { name: action, exact: true }).click();
}

/** Playwright's dragTo, which drives Chromium's HTML5 drag and drop with the mouse. */
async function drag(source: Locator, target: Locator) {
  await source.dragTo(target);
}

test("folders and files: create, rename, move by dialog and by drag and drop, trash and restore, search", async ({
  page,
}) => {
  test.setTimeout(180_000); // one long flow on a busy machine
  const account = await newAccount();
  const token = await tokenOf(account);
  await signIn(page, account, "/");
  await expect(page.getByRole("heading", { name: "My files" })).toBeVisible();

  await page.getByRole("button", { name: "New folder" }).click();
  await page.getByRole("dialog", { name: "New folder" }).getByLabel("Folder name").fill("Projects");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(listing(page).getByRole("link", { name: "Projects" })).toBeVisible();

  await uploadThroughApi(token, "report.txt", bytesOf(2048));
  await uploadThroughApi(token, "notes.txt", bytesOf(100));
  await page.reload();
  await expect(row(page, "report.txt")).toBeVisible();
  await expect(row(page, "notes.txt")).toContainText(phone(page) ? "100 B ·" : "100 B");

  // Rename
  await rowAction(page, "report.txt", "Rename");
  const rename = page.getByRole("dialog", { name: "Rename “report.txt”" });
  await rename.getByLabel("New name").fill("summary.txt");
  await rename.getByRole("button", { name: "Rename" }).click();
  await expect(row(page, "summary.txt")).toBeVisible();
  await expect(row(page, "report.txt")).toHaveCount(0);

  // Move by the dialog's folder picker
  await rowAction(page, "summary.txt", "Move");
  const move = page.getByRole("dialog", { name: "Move “summary.txt”" });
  await move.getByRole("button", { name: "Projects" }).click();
  await move.getByRole("button", { name: "Move here" }).click();
  await expect(row(page, "summary.txt")).toHaveCount(0);
  await listing(page).getByRole("link", { name: "Projects" }).click();
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();
  await expect(row(page, "summary.txt")).toBeVisible();

  // Drag and drop: onto the "My files" breadcrumb, then onto the folder's row
  await drag(
    row(page, "summary.txt"),
    page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("link", { name: "My files" }),
  );
  await expect(row(page, "summary.txt")).toHaveCount(0);
  await page.getByRole("navigation", { name: "Breadcrumbs" }).getByRole("link", { name: "My files" }).click();
  await expect(row(page, "summary.txt")).toBeVisible();
  await drag(row(page, "summary.txt"), row(page, "Projects"));
  await expect(row(page, "summary.txt")).toHaveCount(0);
  await listing(page).getByRole("link", { name: "Projects" }).click();
  await expect(row(page, "summary.txt")).toBeVisible();
  const projectsUrl = page.url();

  // Trash with Undo
  await rowAction(page, "summary.txt", "Move to trash");
  await expect(row(page, "summary.txt")).toHaveCount(0);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(row(page, "summary.txt")).toBeVisible();

  // Trash, then restore from the Trash page
  await rowAction(page, "summary.txt", "Move to trash");
  await expect(row(page, "summary.txt")).toHaveCount(0);
  await page.goto("/trash");
  await expect(page.getByRole("heading", { name: "Trash" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Trashed items" })).toContainText("summary.txt");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Restore summary.txt" }).click();
  await expect(page.getByText("The trash is empty.")).toBeVisible();
  await page.goto(projectsUrl);
  await expect(row(page, "summary.txt")).toBeVisible();

  // Search from the header opens the file's folder
  await page.goto("/");
  await expect(row(page, "Projects")).toBeVisible();
  await page.keyboard.press("/");
  await expect(page.getByRole("textbox", { name: "Search files and folders" })).toBeFocused();
  await page.keyboard.type("SUMM");
  await page.getByRole("option", { name: "summary.txt" }).click();
  await expect(page).toHaveURL(projectsUrl);
  await expect(page.getByRole("heading", { name: "Projects" })).toBeVisible();

  if (!phone(page)) {
    const download = page.waitForEvent("download");
    await rowAction(page, "summary.txt", "Download");
    expect((await download).suggestedFilename()).toBe("summary.txt");
  }

  // An upload still open shows its badge in the screenshot.
  await apiCall(
    "POST",
    "/files/uploads",
    { name: "holiday video.mp4", sizeBytes: 48_000_000, mimeType: "video/mp4" },
    token,
  );
  await page.goto("/");
  await expect(row(page, "holiday video.mp4").getByText("Uploading")).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: screenshotPath(`file-browser${phone(page) ? "-phone" : ""}`) });
});

test("a file on its way to ready shows its state, says why it cannot be downloaded, and turns ready without a reload", async ({
  page,
}) => {
  const account = await newAccount();
  const token = await tokenOf(account);
  const bytes = bytesOf(3000);
  const init = await apiCall<{ file: { id: string } }>(
    "POST",
    "/files/uploads",
    { name: "incoming.txt", sizeBytes: bytes.length },
    token,
  );
  await signIn(page, account, "/");

  const incoming = row(page, "incoming.txt");
  await expect(incoming.getByText("Uploading")).toBeVisible();
  await page.getByRole("button", { name: "Actions for incoming.txt" }).click();
  await expect(page.getByText("Still uploading")).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "Download" })).toBeDisabled();
  await expect(page.getByRole("menuitem", { name: "Share" })).toBeDisabled();
  await page.keyboard.press("Escape");

  const id = init.file.id;
  const signed = await apiCall<{ parts: { url: string }[] }>("POST", `/files/${id}/parts`, { partNumbers: [1] }, token);
  const put = await fetch(signed.parts[0].url, { method: "PUT", body: bytes });
  await apiCall("POST", `/files/${id}/complete`, { parts: [{ partNumber: 1, etag: put.headers.get("etag") }] }, token);
  // The listing polls while a file is settling: the badge goes (scanning, then nothing once ready).
  await expect(incoming.getByText(/Uploading|Scanning/)).toHaveCount(0);
  await expect(incoming).toBeVisible();

  // A file that is already processing shows the scanning badge until the scan passes.
  await uploadThroughApi(token, "fresh.txt", bytesOf(500), { until: ["processing", "ready"] });
  await page.reload();
  await expect(row(page, "fresh.txt")).toBeVisible();
  await expect(row(page, "fresh.txt").getByText("Scanning")).toHaveCount(0);
});

test("the trash deletes a file for good after asking once", async ({ page }) => {
  const account = await newAccount();
  const token = await tokenOf(account);
  const id = await uploadThroughApi(token, "old draft.txt", bytesOf(100));
  await apiCall("DELETE", `/files/${id}`, undefined, token);
  await signIn(page, account, "/trash");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Delete for good old draft.txt" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete for good?" });
  await expect(confirm).toContainText("cannot be undone");
  await expectAccessible(page);
  await confirm.getByRole("button", { name: "Delete for good" }).click();
  await expect(page.getByText("The trash is empty.")).toBeVisible();
});

test("many rows at once: checkboxes and shift-click select a range, trashed together and undone; the keyboard moves, opens, renames and trashes", async ({
  page,
}) => {
  const account = await newAccount();
  const token = await tokenOf(account);
  for (const name of ["a.txt", "b.txt", "c.txt", "d.txt"]) await uploadThroughApi(token, name, bytesOf(10));
  await apiCall("POST", "/folders", { name: "Archive" }, token);
  await signIn(page, account, "/");
  await expect(row(page, "d.txt")).toBeVisible();

  // Click a.txt, shift-click c.txt: a, b and c are selected; the toolbar acts on all three.
  await page.getByRole("checkbox", { name: "Select a.txt" }).click();
  await page.getByRole("checkbox", { name: "Select c.txt" }).click({ modifiers: ["Shift"] });
  const toolbar = page.getByRole("toolbar", { name: "Selected items" });
  await expect(toolbar).toContainText("3 selected");
  await expect(row(page, "b.txt")).toHaveAttribute("aria-selected", "true");
  await expect(row(page, "d.txt")).toHaveAttribute("aria-selected", "false");
  await expectAccessible(page);
  await toolbar.getByRole("button", { name: "Move to trash" }).click();
  for (const name of ["a.txt", "b.txt", "c.txt"]) await expect(row(page, name)).toHaveCount(0);
  await expect(row(page, "d.txt")).toBeVisible();
  await page.getByRole("button", { name: "Undo" }).click();
  for (const name of ["a.txt", "b.txt", "c.txt"]) await expect(row(page, name)).toBeVisible();

  // Select all, then move two by the dialog.
  await page.getByRole("checkbox", { name: "Select all" }).click();
  await expect(toolbar).toContainText("6 selected"); // with the Welcome folder every account starts with
  await page.getByRole("checkbox", { name: "Select all" }).click();
  await expect(toolbar).toHaveCount(0);
  await page.getByRole("checkbox", { name: "Select c.txt" }).click();
  await page.getByRole("checkbox", { name: "Select d.txt" }).click();
  await toolbar.getByRole("button", { name: "Move", exact: true }).click();
  const move = page.getByRole("dialog", { name: "Move 2 items" });
  await move.getByRole("button", { name: "Archive" }).click();
  await move.getByRole("button", { name: "Move here" }).click();
  await expect(row(page, "c.txt")).toHaveCount(0);
  await expect(row(page, "d.txt")).toHaveCount(0);

  // Keyboard: the first row takes focus; arrows move; F2 renames; Delete trashes; Enter opens a folder.
  await listing(page).getByRole("row").nth(1).focus();
  await expect(row(page, "Archive")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(row(page, "Welcome")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(row(page, "a.txt")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(row(page, "b.txt")).toBeFocused();
  await page.keyboard.press(" ");
  await expect(row(page, "b.txt")).toHaveAttribute("aria-selected", "true");
  await page.screenshot({ path: screenshotPath(`file-browser-selection${phone(page) ? "-phone" : ""}`) });
  await page.keyboard.press("Escape");
  await expect(toolbar).toHaveCount(0);
  await page.keyboard.press("F2");
  const rename = page.getByRole("dialog", { name: "Rename “b.txt”" });
  await rename.getByLabel("New name").fill("bee.txt");
  await rename.getByLabel("New name").press("Enter");
  await expect(row(page, "bee.txt")).toBeVisible();
  await row(page, "a.txt").focus();
  await page.keyboard.press("Delete");
  await expect(row(page, "a.txt")).toHaveCount(0);
  await row(page, "Archive").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Archive" })).toBeVisible();
  await expect(row(page, "c.txt")).toBeVisible();
  await expect(row(page, "d.txt")).toBeVisible();
});
