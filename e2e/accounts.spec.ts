import { randomUUID } from "node:crypto";
import { expect, expectAccessible, linkIn, mailTo, test } from "./fixtures";

test("sign up, confirm the address from the mailed link, log in and out", async ({ page }) => {
  const email = `e2e-${randomUUID()}@example.com`;
  const password = "a good long password 42";

  await page.goto("/register");
  await expectAccessible(page);
  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("heading", { name: "Check your mail" })).toBeVisible();

  const link = linkIn((await mailTo(email)).text);
  await page.goto(new URL(link).pathname + new URL(link).search);
  await expect(page.getByText("Your address is confirmed")).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My files" })).toBeAttached();

  // The session survives a reload through the refresh cookie.
  await page.reload();
  await expect(page.getByRole("button", { name: "Account menu" })).toBeVisible();
  await page.getByRole("button", { name: "Account menu" }).click();
  await page.getByRole("menuitem", { name: "Log out" }).click();
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Log in" })).toBeVisible();
});

test("a wrong password is refused with the server's message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(`nobody-${randomUUID()}@example.com`);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText("Wrong e-mail address or password");
});
