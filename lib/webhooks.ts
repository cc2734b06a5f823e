import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";

/** The events a webhook may subscribe to (SPEC §6). */
export const WEBHOOK_EVENTS = ["file.ready", "file.quarantined", "file.rejected", "share.downloaded"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** What each delivery POSTs as JSON. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  /** ISO 8601. */
  at: string;
  data: Record<string, unknown>;
}

/** A new webhook's signing secret: 256 random bits, shown to its owner once. */
export const newWebhookSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;

/** `Coffer-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * What a receiver does with Coffer-Signature: recompute the HMAC over "t.body" and compare in
 * constant time, refusing timestamps older than `toleranceSeconds` (replays).
 */
export function verifyWebhookSignature(
  secret: string,
  body: string,
  header: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = Buffer.from(signWebhook(secret, body, t).split("v1=")[1], "hex");
  const given = Buffer.from(parts.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Addresses a webhook may not reach unless WEBHOOK_ALLOW_PRIVATE: loopback, private, link-local, metadata … */
const forbidden = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT (and Alibaba's metadata 100.100.100.200)
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata 169.254.169.254
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const) {
  forbidden.addSubnet(address, prefix, "ipv4");
}
for (const [address, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7], // unique local (AWS metadata fd00:ec2::254)
  ["fe80::", 10], // link-local
  ["ff00::", 8], // multicast
] as const) {
  forbidden.addSubnet(address, prefix, "ipv6");
}

/** Whether an IP address is one a webhook must not reach (IPv4-mapped IPv6 judged as IPv4). */
export function isForbiddenAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return forbidden.check(mapped[1], "ipv4");
  const family = net.isIP(address);
  if (family === 0) return true;
  return forbidden.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** A webhook URL that may not be used: not http(s), or its host resolves to a forbidden address. */
export class WebhookUrlError extends Error {
  override name = "WebhookUrlError";
}

/**
 * Resolves the URL's host and refuses it when any address it resolves to is forbidden (unless
 * `allowPrivate`). Returns the addresses. Delivery repeats the check on the address it connects to,
 * so a name that resolves elsewhere later (DNS rebinding) is caught there.
 */
export async function checkWebhookUrl(raw: string, allowPrivate: boolean): Promise<string[]> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlError("is not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new WebhookUrlError("must be http or https");
  if (url.username || url.password) throw new WebhookUrlError("must not carry credentials");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = net.isIP(host)
    ? [host]
    : await dns.promises
        .lookup(host, { all: true, verbatim: true })
        .then((found) => found.map((entry) => entry.address))
        .catch(() => {
          throw new WebhookUrlError(`host ${host} does not resolve`);
        });
  if (!allowPrivate && addresses.some(isForbiddenAddress)) {
    throw new WebhookUrlError("resolves to a loopback, private, link-local or metadata address");
  }
  return addresses;
}

/** What one delivery attempt got. */
export type DeliveryResult = { ok: boolean; statusCode: number | null; error: string | null; durationMs: number };

/**
 * POSTs one event: signed, within `timeoutMs` for the whole exchange, redirects not followed (a 3xx
 * is a failure like any non-2xx). The connection goes only to an address checked after resolution
 * (the same lookup the socket uses), so DNS cannot point it elsewhere between check and connect.
 */
export function postWebhook(options: {
  url: string;
  secret: string;
  event: WebhookEvent;
  deliveryId: string;
  allowPrivate: boolean;
  timeoutMs: number;
  userAgent: string;
}): Promise<DeliveryResult> {
  const started = Date.now();
  const body = JSON.stringify(options.event);
  const done = (statusCode: number | null, error: string | null): DeliveryResult => ({
    ok: statusCode !== null && statusCode >= 200 && statusCode < 300,
    statusCode,
    error,
    durationMs: Date.now() - started,
  });
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      resolve(done(null, "invalid URL"));
      return;
    }
    const host = url.hostname.replace(/^\[|\]$/g, "");
    if (net.isIP(host) && !options.allowPrivate && isForbiddenAddress(host)) {
      resolve(done(null, "refused: forbidden address"));
      return;
    }
    const lookup: net.LookupFunction = (hostname, lookupOptions, callback) => {
      dns.lookup(hostname, { all: true, verbatim: true }, (error, addresses) => {
        if (error) return callback(error, "", 4);
        const usable = options.allowPrivate ? addresses : addresses.filter((a) => !isForbiddenAddress(a.address));
        if (usable.length === 0) {
          return callback(
            Object.assign(new Error("refused: host resolves to a forbidden address"), { code: "EFORBIDDEN" }),
            "",
            4,
          );
        }
        if ((lookupOptions as { all?: boolean }).all)
          return (callback as (e: null, a: dns.LookupAddress[]) => void)(null, usable);
        callback(null, usable[0].address, usable[0].family);
      });
    };
    const client = url.protocol === "https:" ? https : http;
    const timestamp = Math.floor(Date.now() / 1000);
    const request = client.request(url, {
      method: "POST",
      lookup,
      headers: {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
        "User-Agent": options.userAgent,
        "Coffer-Signature": signWebhook(options.secret, body, timestamp),
        "Coffer-Event": options.event.type,
        "Coffer-Delivery": options.deliveryId,
      },
    });
    const timer = setTimeout(
      () => request.destroy(new Error(`timed out after ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on("response", (response) => {
      // The answer's body is not needed: read and drop it, at most until the timeout.
      response.resume();
      response.on("end", () => {
        clearTimeout(timer);
        resolve(done(response.statusCode ?? null, null));
      });
      response.on("error", () => undefined);
      response.on("close", () => {
        clearTimeout(timer);
        resolve(done(response.statusCode ?? null, response.complete ? null : "answer cut off"));
      });
    });
    request.on("error", (error) => {
      clearTimeout(timer);
      resolve(done(null, error.message));
    });
    request.end(body);
  });
}
