// Helpers for the accounts tests: a JSON client that can pose as any client IP, and the
// register → mail → verify → login path through the real API.
import { randomInt, randomUUID } from "node:crypto";
import { findMail } from "./mailpit";

/**
 * Test settings for the accounts routes, set before createTestDeps(): client IPs from
 * X-Forwarded-For (so each test can be its own client), rate-limit keys of this file only, and auth
 * and admin limits high enough not to get in the way (tests of the limits set their own).
 */
export function useAccountsTestEnv(overrides: Record<string, string> = {}): void {
  Object.assign(process.env, {
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
    TRUST_PROXY: "true",
    RATE_LIMIT_PREFIX: `coffer:test:${randomUUID()}`,
    RATE_LIMIT_AUTH_PER_MINUTE: "100000",
    RATE_LIMIT_ADMIN_PER_MINUTE: "100000",
    ...overrides,
  });
}

/** A random address in 10/8, to stand for one client. */
export function randomIp(): string {
  return `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

export function uniqueEmail(): string {
  return `acct-${randomUUID()}@example.com`;
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  /** Sent as JSON unless `raw` is given. */
  body?: unknown;
  /** A body sent as is, with Content-Type application/json. */
  raw?: string;
  headers?: Record<string, string>;
  /** Client IP, sent as X-Forwarded-For (the app trusts it under useAccountsTestEnv). */
  ip?: string;
  token?: string;
}

/** One request; the reply's JSON body (or {} when there is none). */
export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.raw !== undefined) headers["Content-Type"] ??= "application/json";
  if (options.ip) headers["X-Forwarded-For"] = options.ip;
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
}

/** The value of a cookie the reply sets, and that Set-Cookie line. */
export function setCookie(reply: Reply<unknown>, name: string): { value: string; line: string } | undefined {
  const line = reply.headers.getSetCookie().find((header) => header.startsWith(`${name}=`));
  if (!line) return undefined;
  return { value: line.slice(name.length + 1).split(";")[0], line };
}

/** The token of the newest verification mail sent to `email`. */
export async function verificationTokenFor(email: string): Promise<string> {
  const mail = await findMail(email);
  const match = /\/verify\?token=([A-Za-z0-9_-]+)/.exec(mail.text);
  if (!match) throw new Error(`no verification link in the mail to ${email}`);
  return match[1];
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; role: string };
}

/** Logs in through the API and returns the access token and the refresh cookie's value. */
export async function login(baseUrl: string, email: string, password: string, ip = randomIp()): Promise<Session> {
  const reply = await call<Session>(baseUrl, "POST", "/auth/login", { body: { email, password }, ip });
  if (reply.status !== 200) throw new Error(`login answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  const cookie = setCookie(reply, "coffer_refresh");
  if (!cookie) throw new Error("login set no refresh cookie");
  return { ...reply.body, refreshToken: cookie.value };
}

/** Registers an account through the API and verifies it with the mailed link. */
export async function registerVerified(
  baseUrl: string,
  password = "a long enough password",
): Promise<{ email: string; password: string }> {
  const email = uniqueEmail();
  const registered = await call(baseUrl, "POST", "/auth/register", { body: { email, password }, ip: randomIp() });
  if (registered.status !== 201) throw new Error(`register answered ${registered.status}`);
  const verified = await call(baseUrl, "POST", "/auth/verify", {
    body: { token: await verificationTokenFor(email) },
    ip: randomIp(),
  });
  if (verified.status !== 200) throw new Error(`verify answered ${verified.status}`);
  return { email, password };
}
