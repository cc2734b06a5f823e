import {
  apiCall,
  expect,
  expectAccessible,
  linkIn,
  mailTo,
  newAccount,
  screenshotPath,
  signIn,
  test,
} from "./fixtures";

const phone = (page: { viewportSize(): { width: number } | null }) => (page.viewportSize()?.width ?? 1280) < 768;
const pathOf = (link: string) => new URL(link).pathname + new URL(link).search;

test("forgot password: the mailed link sets a new password once, and only the new one logs in", async ({ page }) => {
  const account = await newAccount();
  const newPassword = "a fresh password 2026!";

  await page.goto("/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("E-mail").fill(account.email);
  await page.getByRole("button", { name: "Send the link" }).click();
  await expect(page.getByText("Check your mail")).toBeVisible();
  await expectAccessible(page);

  const mail = await mailTo(account.email);
  expect(mail.subject).toBe("Reset your Coffer password");
  const link = pathOf(linkIn(mail.text));
  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel(/^New password/).fill(newPassword);
  await page.getByLabel("Repeat the new password").fill(newPassword);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("Your password is changed")).toBeVisible();
  await page.screenshot({ path: screenshotPath(`reset-done${phone(page) ? "-phone" : ""}`) });

  await page.getByLabel("E-mail").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText("Wrong e-mail address or password");
  await page.getByLabel("Password").fill(newPassword);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Account menu" })).toBeVisible();

  // The link worked once.
  await page.goto(link);
  await page.getByLabel(/^New password/).fill("yet another password 1");
  await page.getByLabel("Repeat the new password").fill("yet another password 1");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByRole("heading", { name: "This link does not work" })).toBeVisible();
  await expectAccessible(page);
  expect((await mailTo(account.email)).subject).toBe("Your Coffer password was changed");
});

test("settings: name, sessions (sign out the others), password change", async ({ page }) => {
  const account = await newAccount();
  // Another device's session, made through the API.
  const other = await apiCall<{ accessToken: string }>("POST", "/auth/login", account);
  await signIn(page, account, "/settings");
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();
  const sessions = page.getByRole("list", { name: "Signed-in sessions" });
  await expect(sessions.getByRole("listitem")).toHaveCount(2);
  await expect(sessions.getByText("This device")).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: screenshotPath(`settings${phone(page) ? "-phone" : ""}`), fullPage: true });

  await page.getByLabel("Name").fill("Grace Hopper");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Name saved")).toBeVisible();

  await page.getByRole("button", { name: "Sign out all other sessions" }).click();
  await expect(page.getByText("1 other session signed out")).toBeVisible();
  await expect(sessions.getByRole("listitem")).toHaveCount(1);
  await expect(apiCall("GET", "/me", undefined, other.accessToken)).rejects.toThrow(/401/);

  await page.getByLabel("Current password").fill("not my password at all");
  await page.getByLabel(/^New password/).fill("changed password 12345");
  await page.getByLabel("Repeat the new password").fill("changed password 12345");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("This is not your current password.")).toBeVisible();
  await page.getByLabel("Current password").fill(account.password);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. Your other sessions were signed out.")).toBeVisible();
  await apiCall("POST", "/auth/login", { email: account.email, password: "changed password 12345" });
});

test("delete account: asks for the password, signs out, and the account no longer logs in", async ({ page }) => {
  const account = await newAccount();
  await signIn(page, account, "/settings");
  await page.getByRole("button", { name: "Delete my account" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete your account?" });
  await expect(dialog).toBeVisible();
  await expectAccessible(page);
  await dialog.getByLabel("Password").fill("wrong password here");
  await dialog.getByRole("button", { name: "Delete everything" }).click();
  await expect(dialog.getByText("This is not your password.")).toBeVisible();
  await dialog.getByLabel("Password").fill(account.password);
  await dialog.getByRole("button", { name: "Delete everything" }).click();
  await expect(page.getByText("Your account is being deleted")).toBeVisible();
  await expectAccessible(page);
  await expect(apiCall("POST", "/auth/login", account)).rejects.toThrow(/40[13]/);
});
