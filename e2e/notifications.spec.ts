import type { Page } from "@playwright/test";
import { eicar } from "../test/samples";
import {
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
/** A public address from a documentation range (TEST-NET-3): allowed, resolves without DNS, reaches nobody. */
const PUBLIC_URL = "https://203.0.113.10/coffer";

test("the bell: quarantined uploads show as unread, the list says what happened, mark one and mark all read", async ({
  page,
}) => {
  const account = await newAccount();
  const token = await tokenOf(account);
  await uploadThroughApi(token, "invoice.com", eicar, { until: ["quarantined"] });
  await uploadThroughApi(token, "report.com", eicar, { until: ["quarantined"] });
  // The notice is written by the worker once the scan ends; wait for it before looking.
  await expect
    .poll(async () => (await apiCall<{ unread: number }>("GET", "/me/notifications", undefined, token)).unread)
    .toBe(2);

  await signIn(page, account);
  const bell = page.getByRole("button", { name: "Notifications, 2 unread" });
  await expect(bell).toBeVisible();
  await bell.click();
  const list = page.getByRole("list", { name: "Notification list" });
  await expect(list.getByRole("listitem")).toHaveCount(2);
  // Newest first.
  await expect(list.getByRole("listitem").first()).toContainText('"report.com" was quarantined: threat found');
  await expect(list).toContainText("refunded");
  await expectAccessible(page);
  await page.screenshot({ path: screenshotPath(`notifications${phone(page) ? "-phone" : ""}`) });

  await expect(list.getByRole("listitem").nth(1)).toContainText('"invoice.com" was quarantined');

  await list.getByRole("button", { name: /^Mark read: "invoice.com"/ }).click();
  await expect(page.getByRole("button", { name: "Notifications, 1 unread" })).toBeVisible();
  await expect(list.getByRole("button", { name: /^Mark read/ })).toHaveCount(1);

  await page.getByRole("button", { name: "Mark all read" }).click();
  await expect(page.getByRole("button", { name: "Notifications", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: "Mark all read" })).toBeDisabled();
  await expect(list.getByRole("button", { name: /^Mark read/ })).toHaveCount(0);
  expect((await apiCall<{ unread: number }>("GET", "/me/notifications", undefined, token)).unread).toBe(0);
});

test("settings: mail-when-ready persists; a webhook's secret is shown once, loopback is refused, delete", async ({
  page,
}) => {
  const account = await newAccount();
  await signIn(page, account, "/settings");
  const mailSwitch = page.getByRole("switch", { name: "Mail me when my upload is ready" });
  await expect(mailSwitch).toBeEnabled();
  await expect(mailSwitch).not.toBeChecked();
  // The switch's input is visually hidden: click its label, as a user would.
  await page.getByText("Mail me when my upload is ready").click();
  await expect(mailSwitch).toBeChecked();
  await expect(mailSwitch).toBeEnabled();
  await page.reload();
  await expect(mailSwitch).toBeEnabled();
  await expect(mailSwitch).toBeChecked();

  // A loopback URL: the server's refusal, in its words.
  await page.getByLabel("Webhook URL").fill("http://127.0.0.1:9/hook");
  await page.getByRole("button", { name: "Add webhook" }).click();
  await expect(page.getByRole("alert")).toContainText(
    "The URL resolves to a loopback, private, link-local or metadata address.",
  );
  const webhooks = page.getByRole("list", { name: "Webhooks" });
  await expect(webhooks.getByRole("listitem")).toHaveCount(0);

  await page.getByLabel("Webhook URL").fill(PUBLIC_URL);
  await page.getByRole("checkbox", { name: "Share downloaded" }).check();
  await page.getByRole("button", { name: "Add webhook" }).click();
  const secret = page.getByRole("textbox", { name: "Signing secret" });
  await expect(secret).toHaveValue(/\S{16,}/);
  await expect(page.getByText("It will not be shown again.")).toBeVisible();
  await expect(webhooks.getByRole("listitem")).toHaveCount(1);
  await expect(webhooks).toContainText(PUBLIC_URL);
  await expect(webhooks).toContainText("share.downloaded");
  await expectAccessible(page);
  await page.screenshot({ path: screenshotPath(`settings-webhooks${phone(page) ? "-phone" : ""}`), fullPage: true });

  // Shown once: gone after a reload, while the webhook stays.
  await page.reload();
  await expect(webhooks.getByRole("listitem")).toHaveCount(1);
  await expect(secret).toHaveCount(0);

  await page.getByRole("button", { name: `Deliveries of ${PUBLIC_URL}` }).click();
  const deliveries = page.getByRole("dialog", { name: "Deliveries" });
  await expect(deliveries.getByText("No deliveries yet.")).toBeVisible();
  await expectAccessible(page);
  await page.keyboard.press("Escape");
  await expect(deliveries).toHaveCount(0);

  await page.getByRole("button", { name: `Delete ${PUBLIC_URL}` }).click();
  const confirm = page.getByRole("dialog", { name: "Delete this webhook?" });
  await confirm.getByRole("button", { name: "Delete webhook" }).click();
  await expect(page.getByText("Webhook deleted")).toBeVisible();
  await expect(webhooks.getByRole("listitem")).toHaveCount(0);
  await expect(page.getByText("No webhooks yet.")).toBeVisible();
});
