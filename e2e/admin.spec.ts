import type { Page } from "@playwright/test";
import {
  adminAccount,
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
const GiB = 1024 ** 3;

/** The EICAR test file (as test/samples.ts builds it), split so no scanner flags this repository. */
const eicar = Buffer.from(
  ["X5O!P%@AP[4\\PZX54(P^)7CC)7}$", "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"].join(""),
  "latin1",
);

interface Analytics {
  totalUploads: number;
  failedUploads: number;
  virusScans: { infected: number };
}

/** The page's default range: the last 30 UTC days, today included. */
function last30Days() {
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  return new Date(today.getTime() - 29 * 24 * 3600 * 1000).toISOString();
}

test("an admin sees the analytics, queue and health, changes a quota and previews a cleanup", async ({ page }) => {
  test.setTimeout(180_000);
  const uploader = await newAccount();
  const token = await tokenOf(uploader);
  await uploadThroughApi(token, "notes.txt", Buffer.from("admin analytics e2e\n".repeat(100)));
  const infectedId = await uploadThroughApi(token, "eicar.com", eicar, { until: ["quarantined"] });
  // An upload given up on: a failure by reason "aborted".
  const open = await apiCall<{ file: { id: string } }>(
    "POST",
    "/files/uploads",
    { name: "abandoned.bin", sizeBytes: 10 },
    token,
  );
  await apiCall("DELETE", `/files/${open.file.id}/upload`, undefined, token);
  const adminToken = await tokenOf(adminAccount);

  // Other tests upload at the same time, and these counts only grow: what the page shows lies between
  // the API's figures just before it loaded and just after.
  const totals = () =>
    apiCall<Analytics>("GET", `/admin/analytics/uploads?from=${last30Days()}`, undefined, adminToken);
  const before = await totals();
  expect(before.virusScans.infected).toBeGreaterThanOrEqual(1);
  await signIn(page, adminAccount, "/admin");
  await expect(page.getByRole("heading", { name: "Admin", level: 1 })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toBeAttached();
  const analytics = page.getByRole("region", { name: "Upload analytics" });
  const figure = async (label: string) => {
    const value = analytics.getByRole("group", { name: label, exact: true }).getByText(/^[\d,]+$/);
    await expect(value).toBeVisible();
    return Number((await value.innerText()).replace(/,/g, ""));
  };
  const shown = {
    uploads: await figure("Uploads"),
    failed: await figure("Failed"),
    infected: await figure("Threats found"),
  };
  const after = await totals();
  expect(shown.uploads).toBeGreaterThanOrEqual(before.totalUploads);
  expect(shown.uploads).toBeLessThanOrEqual(after.totalUploads);
  expect(shown.failed).toBeGreaterThanOrEqual(before.failedUploads);
  expect(shown.failed).toBeLessThanOrEqual(after.failedUploads);
  expect(shown.infected).toBeGreaterThanOrEqual(before.virusScans.infected);
  expect(shown.infected).toBeLessThanOrEqual(after.virusScans.infected);
  await expect(analytics.getByRole("group", { name: "Success rate", exact: true })).toContainText("%");

  // The charts render, with their legends.
  const byType = analytics.getByRole("figure", { name: "Uploads by type" });
  await expect(byType.getByRole("list", { name: "Legend" }).getByRole("listitem").first()).toBeVisible();
  await expect(byType.getByRole("application", { name: "Uploads by MIME type" })).toBeVisible();
  const successRate = analytics.getByRole("figure", { name: "Success rate over time" });
  await expect(successRate.getByRole("application", { name: "Daily success rate, in percent" })).toBeVisible();
  await expect(successRate.getByText("Success rate", { exact: true })).toBeVisible();
  const failures = analytics.getByRole("figure", { name: "Failures by reason" });
  await expect(failures.getByRole("application", { name: "Failed uploads by reason" })).toBeVisible();
  await expect(failures.getByText("aborted")).toBeVisible();
  const topUsers = analytics.getByRole("figure", { name: "Top users" });
  await expect(topUsers.getByRole("row").nth(1)).toBeVisible();
  await analytics.getByText("7 days", { exact: true }).click();
  await expect(analytics.getByText("last 7 days")).toBeVisible();

  // Queue and health.
  const queue = page.getByRole("region", { name: "Queue" });
  for (const label of ["Uploading", "Scanning", "Processing"])
    await expect(queue.getByRole("group", { name: label })).toContainText(/\d/);
  const health = page.getByRole("region", { name: "Health" });
  await expect(health.getByRole("list", { name: "Checks" }).getByRole("listitem")).toHaveCount(5);
  await expect(health.getByRole("listitem").filter({ hasText: "PostgreSQL" })).toContainText("up");
  await expect(health.getByRole("group", { name: "Users" })).toContainText(/\d/);

  await expectAccessible(page);
  await page.screenshot({ path: screenshotPath(`admin${phone(page) ? "-phone" : ""}`) });

  // A quota change, then the server refusing an admin who would disable themselves.
  const users = page.getByRole("region", { name: "Users" });
  const me = users.getByRole("listitem", { name: adminAccount.email });
  const gb = 20 + Math.floor(Math.random() * 80);
  await me.getByRole("button", { name: `Edit ${adminAccount.email}` }).click();
  let dialog = page.getByRole("dialog", { name: `Edit ${adminAccount.email}` });
  await dialog.getByLabel("Quota (GB)").fill(String(gb));
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(me).toContainText(`quota ${gb} GB`);
  const { quota } = await apiCall<{ quota: { quotaBytes: number } }>("GET", "/me", undefined, adminToken);
  expect(quota.quotaBytes).toBe(gb * GiB);

  await me.getByRole("button", { name: `Edit ${adminAccount.email}` }).click();
  dialog = page.getByRole("dialog", { name: `Edit ${adminAccount.email}` });
  await dialog.getByText("Account disabled").click();
  await expect(dialog.getByRole("switch", { name: "Account disabled" })).toBeChecked();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Admins cannot demote or disable themselves");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Cleanup: a dry run reports its tallies; the real run asks first.
  const cleanup = page.getByRole("region", { name: "Cleanup" });
  await cleanup.getByRole("button", { name: "Preview cleanup" }).click();
  await expect(cleanup.getByText("A cleanup now would do this")).toBeVisible({ timeout: 60_000 });
  for (const label of ["Stale uploads", "Orphan multipart uploads", "Restarted lifecycles"])
    await expect(cleanup.getByRole("group", { name: label })).toContainText(/\d/);
  await cleanup.getByRole("button", { name: "Run cleanup" }).click();
  const confirm = page.getByRole("dialog", { name: "Run cleanup now?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();

  // A file's FileLifecycle workflow in the Temporal Web UI, in a new tab.
  const workflow = page.getByRole("region", { name: "Open a file's workflow" });
  await workflow.getByLabel("File id").fill(infectedId);
  const link = workflow.getByRole("link", { name: "Open workflow" });
  await expect(link).toHaveAttribute("href", new RegExp(`/namespaces/[^/]+/workflows/file-lifecycle-${infectedId}$`));
  await expect(link).toHaveAttribute("target", "_blank");
  const popup = page.waitForEvent("popup");
  await link.click();
  expect((await popup).url()).toContain(`file-lifecycle-${infectedId}`);
});

test("someone who is not an admin finds no admin page and no Admin link", async ({ page }) => {
  const user = await newAccount();
  await signIn(page, user, "/admin");
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "My files" })).toBeAttached();
  await expect(nav.getByRole("link", { name: "Admin" })).toHaveCount(0);
  await expectAccessible(page);
});
