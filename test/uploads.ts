import { createHash } from "node:crypto";
import { UploadPartCommand } from "@aws-sdk/client-s3";
import type { Storage } from "../lib/s3";
import type { TestUser } from "./factories";

/** Response bodies in tests are read loosely: each assertion states the shape it expects. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiResponse<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** One JSON call to the API as `user` (or anonymously). */
export async function api<T = Json>(
  baseUrl: string,
  method: string,
  path: string,
  options: { user?: TestUser; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    redirect: "manual",
    headers: {
      ...(options.body === undefined ? {} : { "Content-Type": "application/json" }),
      ...(options.user ? { Authorization: `Bearer ${options.user.token}` } : {}),
      ...options.headers,
    },
    body:
      options.body === undefined
        ? undefined
        : typeof options.body === "string"
          ? options.body
          : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: res.status, body, headers: res.headers };
}

export const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** Bytes that differ per call, so each test file has its own content. */
export function randomBytesOf(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  const seed = Buffer.from(`${Date.now()}-${Math.random()}`);
  for (let i = 0; i < size; i += seed.length) seed.copy(bytes, i);
  return bytes;
}

export interface InitResult {
  fileId: string;
  partSize: number;
  partCount: number;
}

export async function initUpload(
  baseUrl: string,
  user: TestUser,
  name: string,
  sizeBytes: number,
  extra: Record<string, unknown> = {},
) {
  return api(baseUrl, "POST", "/files/uploads", {
    user,
    body: { name, sizeBytes, ...extra },
  });
}

/** Parts a browser's upload engine sends at once (web/src/uploads); more would only queue in S3. */
const PARTS_IN_FLIGHT = 4;

/**
 * PUTs the given parts of `bytes` through presigned URLs, as a browser would: PARTS_IN_FLIGHT at a
 * time (all 64 parts of a 1 GiB file at once made MinIO drop a connection mid-body on a loaded
 * machine). Returns their ETags in the order asked.
 */
export async function putParts(
  baseUrl: string,
  user: TestUser,
  fileId: string,
  bytes: Buffer,
  partSize: number,
  partNumbers: number[],
) {
  const signed = await api<{ parts: { partNumber: number; url: string }[] }>(
    baseUrl,
    "POST",
    `/files/${fileId}/parts`,
    {
      user,
      body: { partNumbers },
    },
  );
  if (signed.status !== 200) throw new Error(`signing failed: ${signed.status} ${JSON.stringify(signed.body)}`);
  const { parts } = signed.body;
  const stored: { partNumber: number; etag: string }[] = new Array(parts.length);
  let next = 0;
  const sender = async () => {
    for (let index = next++; index < parts.length; index = next++) {
      const { partNumber, url } = parts[index];
      const chunk = bytes.subarray((partNumber - 1) * partSize, partNumber * partSize);
      const res = await fetch(url, { method: "PUT", body: chunk });
      if (res.status !== 200) throw new Error(`part ${partNumber} PUT failed: ${res.status} ${await res.text()}`);
      stored[index] = { partNumber, etag: res.headers.get("etag")! };
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, parts.length) }, sender));
  return stored;
}

/** init → sign → PUT every part → complete; returns the completed file's id and the complete response. */
export async function uploadFile(
  baseUrl: string,
  user: TestUser,
  name: string,
  bytes: Buffer,
  extra: Record<string, unknown> = {},
) {
  const init = await initUpload(baseUrl, user, name, bytes.length, extra);
  if (init.status !== 201) throw new Error(`init failed: ${init.status} ${JSON.stringify(init.body)}`);
  const { partSize, partCount } = init.body;
  const fileId = init.body.file.id;
  const parts = await putParts(
    baseUrl,
    user,
    fileId,
    bytes,
    partSize,
    Array.from({ length: partCount }, (_, i) => i + 1),
  );
  const complete = await api(baseUrl, "POST", `/files/${fileId}/complete`, { user, body: { parts } });
  return { fileId, complete };
}

/** Polls GET /files/:id until its status is one of `statuses`. */
export async function waitForStatus(
  baseUrl: string,
  user: TestUser,
  fileId: string,
  statuses: string[],
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api<{ file: { status: string } }>(baseUrl, "GET", `/files/${fileId}`, { user });
    if (res.status === 200 && statuses.includes(res.body.file.status)) return res.body.file as Json;
    if (Date.now() > deadline) {
      throw new Error(
        `file ${fileId} not ${statuses.join("|")} after ${timeoutMs} ms: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/**
 * Stores a part with the server's own S3 credentials, bypassing the signed part length: stands for a
 * storage that does not enforce signed headers, so complete's own size check can be exercised.
 */
export async function putPartDirectly(
  storage: Storage,
  s3Key: string,
  uploadId: string,
  partNumber: number,
  bytes: Buffer,
) {
  const result = await storage.client.send(
    new UploadPartCommand({
      Bucket: storage.bucket,
      Key: s3Key,
      UploadId: uploadId,
      PartNumber: partNumber,
      Body: bytes,
    }),
  );
  return { partNumber, etag: result.ETag! };
}
