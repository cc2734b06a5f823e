import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";

export interface StorageOptions {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  /** Sockets of the client that streams share downloads (SHARE_DOWNLOADS_MAX). */
  downloadSockets?: number;
}

function client(endpoint: string, options: StorageOptions, maxSockets = 1024): S3Client {
  return new S3Client({
    endpoint,
    region: options.region,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    forcePathStyle: true,
    // Default checksums would sign the CRC of an empty body into presigned part URLs.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    // The SDK's default of 50 sockets would make the 51st concurrent stream (scans) and every other
    // call wait. Share downloads have a pool of their own (Storage.downloads).
    requestHandler: { httpAgent: { maxSockets }, httpsAgent: { maxSockets } },
  });
}

/**
 * The bucket as the server's own key sees it. That key may do anything, so no URL handed to a client
 * is ever signed with it: lib/s3-url-signer.ts signs those with credentials that may do less.
 */
export class Storage {
  readonly client: S3Client;
  /**
   * Streams share downloads only, with its own socket pool: each download holds a socket for as long
   * as its client takes, and slow clients must never make the process's own S3 calls wait.
   */
  readonly downloads: S3Client;
  readonly bucket: string;

  constructor(options: StorageOptions) {
    this.client = client(options.endpoint, options);
    this.downloads = client(options.endpoint, options, options.downloadSockets);
    this.bucket = options.bucket;
  }

  /** Resolves when the bucket answers; throws otherwise. */
  async checkBucket(abortSignal?: AbortSignal): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal });
  }

  async createMultipartUpload(key: string, contentType: string): Promise<string> {
    const result = await this.client.send(
      new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType }),
    );
    if (!result.UploadId) throw new Error("S3 returned no UploadId");
    return result.UploadId;
  }

  /** Every part S3 holds for an upload, in order. */
  async listParts(key: string, uploadId: string): Promise<{ partNumber: number; etag: string; sizeBytes: number }[]> {
    const parts: { partNumber: number; etag: string; sizeBytes: number }[] = [];
    let marker: string | undefined;
    do {
      const page = await this.client.send(
        new ListPartsCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId, PartNumberMarker: marker }),
      );
      for (const part of page.Parts ?? []) {
        parts.push({ partNumber: part.PartNumber!, etag: part.ETag!, sizeBytes: part.Size ?? 0 });
      }
      marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
    } while (marker);
    return parts;
  }

  async completeMultipartUpload(key: string, uploadId: string, parts: { partNumber: number; etag: string }[]) {
    await this.client.send(
      new CompleteMultipartUploadCommand({
        Bucket: this.bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
      }),
    );
  }

  /** Aborts an upload; one that is already gone counts as aborted. */
  async abortMultipartUpload(key: string, uploadId: string): Promise<void> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId: uploadId }));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** The object's size, or null when there is no such object. */
  async objectSize(key: string): Promise<number | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return head.ContentLength ?? 0;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  /**
   * The object's bytes as a stream, with its length and type; from `fromByte` on when given (a ranged
   * GET, to go on where an earlier read stopped).
   */
  async getObject(
    key: string,
    abortSignal?: AbortSignal,
    fromByte?: number,
  ): Promise<{ body: Readable; sizeBytes: number; contentType?: string }> {
    const Range = fromByte ? `bytes=${fromByte}-` : undefined;
    const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range }), {
      abortSignal,
    });
    return { body: result.Body as Readable, sizeBytes: result.ContentLength ?? 0, contentType: result.ContentType };
  }

  /** getObject() through the share-download client; destroy the body to free its socket. */
  async getObjectForDownload(key: string): Promise<{ body: Readable; sizeBytes: number }> {
    const result = await this.downloads.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return { body: result.Body as Readable, sizeBytes: result.ContentLength ?? 0 };
  }

  async putObject(key: string, body: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }),
    );
  }

  async copyObject(fromKey: string, toKey: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({ Bucket: this.bucket, CopySource: `${this.bucket}/${encodeURI(fromKey)}`, Key: toKey }),
    );
  }

  /** Deletes an object; a missing one is not an error. */
  async deleteObject(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /**
   * One page of the objects under `prefix` whose keys sort after `startAfter`, in S3's byte order.
   * A caller that stops can go on later from the last key it saw, even in another process. Passing
   * the previous page's `nextToken` as well is faster (some servers, MinIO among them, re-read the
   * whole prefix for a StartAfter but resume a continuation token); should the token no longer be
   * accepted, the page is listed again from `startAfter` alone.
   */
  async listObjectsPage(options: {
    prefix: string;
    startAfter?: string;
    continuationToken?: string;
    maxKeys: number;
  }): Promise<ObjectsPage> {
    const list = (token?: string) =>
      this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: options.prefix,
          StartAfter: options.startAfter,
          ContinuationToken: token,
          MaxKeys: options.maxKeys,
        }),
      );
    let page;
    try {
      page = await list(options.continuationToken);
    } catch (error) {
      // Servers answer a token they no longer know with 400 or 501 (MinIO): list from the key.
      if (!options.continuationToken || !(error instanceof S3ServiceException)) throw error;
      page = await list();
    }
    const objects = (page.Contents ?? []).map((object) => ({
      key: object.Key!,
      sizeBytes: object.Size ?? 0,
      lastModified: object.LastModified ?? new Date(0),
    }));
    const truncated = page.IsTruncated === true && objects.length > 0;
    return { objects, truncated, nextToken: truncated ? page.NextContinuationToken : undefined };
  }

  /** Every object under `prefix`, page by page (continuation tokens), without holding them all. */
  async *listObjects(prefix: string, pageSize = 1000): AsyncGenerator<ListedObject> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: pageSize }),
      );
      for (const object of page.Contents ?? []) {
        yield { key: object.Key!, sizeBytes: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  /**
   * One page of the bucket's open multipart uploads after the given markers (key, then upload id).
   * Some S3 servers only honour an exact key as prefix, so housekeeping lists without one.
   */
  async listMultipartUploadsPage(options: {
    after?: UploadsMarker;
    maxUploads: number;
    prefix?: string;
  }): Promise<MultipartUploadsPage> {
    const page = await this.client.send(
      new ListMultipartUploadsCommand({
        Bucket: this.bucket,
        Prefix: options.prefix,
        KeyMarker: options.after?.keyMarker,
        UploadIdMarker: options.after?.keyMarker ? options.after.uploadIdMarker : undefined,
        MaxUploads: options.maxUploads,
      }),
    );
    const uploads = (page.Uploads ?? []).map((upload) => ({
      key: upload.Key!,
      uploadId: upload.UploadId!,
      initiated: upload.Initiated ?? new Date(0),
    }));
    const last = uploads[uploads.length - 1];
    const next =
      page.IsTruncated && last
        ? { keyMarker: page.NextKeyMarker ?? last.key, uploadIdMarker: page.NextUploadIdMarker ?? last.uploadId }
        : null;
    return { uploads, next };
  }

  destroy(): void {
    this.client.destroy();
    this.downloads.destroy();
  }
}

export interface ListedObject {
  key: string;
  sizeBytes: number;
  lastModified: Date;
}

export interface ObjectsPage {
  objects: ListedObject[];
  /** More keys follow the last one of this page. */
  truncated: boolean;
  /** Where the next page starts, as the server's continuation token (when it gave one). */
  nextToken?: string;
}

export interface ListedUpload {
  key: string;
  uploadId: string;
  initiated: Date;
}

/** Where the next page of multipart uploads starts. */
export interface UploadsMarker {
  keyMarker: string;
  uploadIdMarker: string;
}

export interface MultipartUploadsPage {
  uploads: ListedUpload[];
  /** null on the last page. */
  next: UploadsMarker | null;
}

/** True for S3's "no such key / upload / bucket" answers. */
export function isMissing(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.$metadata.httpStatusCode === 404 || ["NoSuchKey", "NoSuchUpload", "NotFound"].includes(error.name);
}

/** True when S3 refused a request as the client's mistake (4xx): bad parts, malformed input. */
export function isClientError(error: unknown): boolean {
  const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
  return status !== undefined && status >= 400 && status < 500;
}

/** Socket-level failures: S3 could not be reached or stopped answering. */
const UNREACHABLE = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

/**
 * True for an S3 outage rather than a refusal: the SDK could not connect or timed out (its errors
 * carry `$metadata`, so a database that is down is not mistaken for it), or S3 answered 5xx.
 * Socket errors come from Node's own realm, so they are read by shape, not by `instanceof`.
 */
export function isStorageOutage(error: unknown): boolean {
  if (error instanceof S3ServiceException) return (error.$metadata.httpStatusCode ?? 0) >= 500;
  return typeof error === "object" && error !== null && "$metadata" in error && isUnreachable(error);
}

interface SocketError {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

function isUnreachable(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { name, code, message, cause, errors } = error as SocketError;
  if (typeof code === "string" && UNREACHABLE.has(code)) return true;
  // The SDK wraps an error it does not recognise as one (another realm's, as under Jest) as
  // "AWS SDK error wrapper for Error: connect ECONNREFUSED …": only the message keeps the code.
  if (typeof message === "string" && message.split(/[\s:]+/).some((word) => UNREACHABLE.has(word))) return true;
  if (name === "TimeoutError" || name === "RequestTimeout") return true;
  if (Array.isArray(errors) && errors.some(isUnreachable)) return true;
  return isUnreachable(cause);
}
