// Helpers for the share tests: a ready file to share, the owner's share calls, and public calls that
// pose as a given client IP (the testbed trusts X-Forwarded-For under shareTestEnv).
import { randomUUID } from "node:crypto";
import type { AppDeps } from "../api/deps";
import { Share } from "../db/models";
import { randomIp } from "./accounts";
import type { TestUser } from "./factories";
import { api, type ApiResponse, uploadFile, waitForStatus } from "./uploads";
import { randomToken } from "../lib/tokens";

/**
 * Settings for a testbed serving shares: client IPs from X-Forwarded-For, rate-limit keys of this
 * run only and a public limit that stays out of the way (tests of the limits set their own).
 */
export function shareTestEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    TRUST_PROXY: "true",
    RATE_LIMIT_PREFIX: `coffer:test:${randomUUID()}`,
    RATE_LIMIT_PUBLIC_PER_MINUTE: "100000",
    ...overrides,
  };
}

/** Uploads `bytes` as `name` and waits until the file is ready; returns its id. */
export async function readyFile(
  url: string,
  user: TestUser,
  name: string,
  bytes: Buffer,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const { fileId, complete } = await uploadFile(url, user, name, bytes, extra);
  if (complete.status !== 202)
    throw new Error(`complete answered ${complete.status}: ${JSON.stringify(complete.body)}`);
  await waitForStatus(url, user, fileId, ["ready"]);
  return fileId;
}

/** POST /shares; throws unless 201. Returns the share view, its url and token. */
export async function shareFile(url: string, user: TestUser, fileId: string, options: Record<string, unknown> = {}) {
  const res = await api(url, "POST", "/shares", { user, body: { fileId, ...options } });
  if (res.status !== 201) throw new Error(`POST /shares answered ${res.status}: ${JSON.stringify(res.body)}`);
  const shareUrl = res.body.url as string;
  return { share: res.body.share, url: shareUrl, token: shareUrl.slice(shareUrl.lastIndexOf("/") + 1) };
}

export interface DownloadOptions {
  /** Sent as the JSON body's password. */
  password?: string;
  /** Sent as X-Share-Password. */
  headerPassword?: string;
  /** Sent as an urlencoded form field. */
  formPassword?: string;
  ip?: string;
  userAgent?: string;
}

export interface DownloadReply {
  status: number;
  headers: Headers;
  /** The bytes on 200; the parsed error body otherwise. */
  bytes?: Buffer;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body?: any;
}

/** POST /s/:token/download as an anonymous client. */
export async function downloadShare(url: string, token: string, options: DownloadOptions = {}): Promise<DownloadReply> {
  const headers: Record<string, string> = { "X-Forwarded-For": options.ip ?? randomIp() };
  if (options.userAgent) headers["User-Agent"] = options.userAgent;
  if (options.headerPassword !== undefined)
    headers["X-Share-Password"] = Buffer.from(options.headerPassword, "utf8").toString("latin1");
  let body: string | undefined;
  if (options.formPassword !== undefined) {
    headers["Content-Type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams({ password: options.formPassword }).toString();
  } else if (options.password !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify({ password: options.password });
  }
  const res = await fetch(`${url}/s/${token}/download`, { method: "POST", headers, body });
  const raw = Buffer.from(await res.arrayBuffer());
  if (res.status === 200) return { status: 200, headers: res.headers, bytes: raw };
  return { status: res.status, headers: res.headers, body: raw.length ? JSON.parse(raw.toString("utf8")) : undefined };
}

/** GET /s/:token as an anonymous client. */
export function shareMetadata(url: string, token: string, ip = randomIp()): Promise<ApiResponse> {
  return api(url, "GET", `/s/${token}`, { headers: { "X-Forwarded-For": ip } });
}

/** A share row written straight to the database, for states the API cannot reach on demand (the past). */
export async function insertShare(
  deps: AppDeps,
  row: Partial<Share> & { ownerId: string; fileId: string | null },
): Promise<Share> {
  return Share.query(deps.db).insertAndFetch({ token: randomToken(), ...row });
}

/** Polls until `check` returns a value (not undefined), e.g. a row written after a response ended. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
