import AxeBuilder from "@axe-core/playwright";
import { type Page, expect, test as base } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { ADMIN, apiURL } from "./stack";

export { expect };

export interface Account {
  email: string;
  password: string;
}

const mailpit = `http://127.0.0.1:${process.env.MAILPIT_HTTP_PORT ?? "8025"}/api/v1`;

/** The newest mail to `to`, read back from Mailpit (waits for it). */
export async function mailTo(to: string, timeoutMs = 15_000): Promise<{ subject: string; text: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const search = (await (await fetch(`${mailpit}/search?query=${encodeURIComponent(`to:"${to}"`)}`)).json()) as {
      messages: { ID: string }[];
    };
    if (search.messages.length) {
      const message = (await (await fetch(`${mailpit}/message/${search.messages[0].ID}`)).json()) as {
        Subject: string;
        Text: string;
      };
      return { subject: message.Subject, text: message.Text };
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first link in a mail's text. */
export const linkIn = (text: string) => /https?:\/\/\S+/.exec(text)?.[0] ?? "";

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${apiURL}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A verified account of its own, made through the API and the mailed link. */
export async function newAccount(): Promise<Account> {
  const account = { email: `e2e-${randomUUID()}@example.com`, password: "e2e password 0123456789" };
  await call("POST", "/auth/register", { ...account, name: "E2E Tester" });
  const token = new URL(linkIn((await mailTo(account.email)).text)).searchParams.get("token");
  await call("POST", "/auth/verify", { token });
  return account;
}

export const adminAccount: Account = ADMIN;

/** An access token for scripting the API around a browser flow. */
export async function tokenOf(account: Account): Promise<string> {
  return (await call<{ accessToken: string }>("POST", "/auth/login", account)).accessToken;
}

/** Uploads `bytes` through the API and S3 as `token` would from any client; resolves once the file is ready (or as `until`). */
export async function uploadThroughApi(
  token: string,
  name: string,
  bytes: Buffer,
  options: { folderId?: string; until?: string[] } = {},
) {
  const init = await call<{ file: { id: string }; partSize: number; partCount: number }>(
    "POST",
    "/files/uploads",
    { name, sizeBytes: bytes.length, ...(options.folderId ? { folderId: options.folderId } : {}) },
    token,
  );
  const numbers = Array.from({ length: init.partCount }, (_, i) => i + 1);
  const signed = await call<{ parts: { partNumber: number; url: string }[] }>(
    "POST",
    `/files/${init.file.id}/parts`,
    { partNumbers: numbers },
    token,
  );
  const parts = await Promise.all(
    signed.parts.map(async ({ partNumber, url }) => {
      const res = await fetch(url, {
        method: "PUT",
        body: new Uint8Array(bytes.subarray((partNumber - 1) * init.partSize, partNumber * init.partSize)),
      });
      return { partNumber, etag: res.headers.get("etag")! };
    }),
  );
  await call("POST", `/files/${init.file.id}/complete`, { parts }, token);
  const until = options.until ?? ["ready"];
  for (let i = 0; i < 200; i++) {
    const { file } = await call<{ file: { status: string } }>("GET", `/files/${init.file.id}`, undefined, token);
    if (until.includes(file.status)) return init.file.id;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${name} never became ${until.join("|")}`);
}

export { call as apiCall };

/** Logs the page's browser context in (the refresh cookie is set for it) and opens `path`. */
export async function signIn(page: Page, account: Account, path = "/"): Promise<void> {
  const res = await page.request.post(`${apiURL}/auth/login`, { data: account });
  expect(res.status()).toBe(200);
  await page.goto(path);
}

/** No serious or critical accessibility violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  // At rest: a dialog still fading in has colours axe would read as too faint. Endless animations
  // (a progress bar's stripes) never end and are left running.
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every(
        (animation) =>
          animation.playState !== "running" || animation.effect?.getComputedTiming().iterations === Infinity,
      ),
  );
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** Where specs save the pages' screenshots: .data/e2e/screenshots, or docs/screenshots with E2E_SCREENSHOTS=docs/screenshots. */
export const screenshotPath = (name: string) => `${process.env.E2E_SCREENSHOTS ?? ".data/e2e/screenshots"}/${name}.png`;

export const test = base;
