import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

export interface StorageOptions {
  endpoint: string;
  /** Host put into presigned URLs when clients reach the storage under another name. */
  publicEndpoint?: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
}

function client(endpoint: string, options: StorageOptions): S3Client {
  return new S3Client({
    endpoint,
    region: options.region,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    forcePathStyle: true,
    // Default checksums would sign the CRC of an empty body into presigned part URLs.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

/** The bucket with two clients: one for the server's own calls, one for signing URLs handed to clients. */
export class Storage {
  readonly client: S3Client;
  readonly signer: S3Client;
  readonly bucket: string;

  constructor(options: StorageOptions) {
    this.client = client(options.endpoint, options);
    this.signer = options.publicEndpoint ? client(options.publicEndpoint, options) : this.client;
    this.bucket = options.bucket;
  }

  /** Resolves when the bucket answers; throws otherwise. */
  async checkBucket(abortSignal?: AbortSignal): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), { abortSignal });
  }

  /** Creates the bucket unless it exists. */
  async ensureBucket(): Promise<void> {
    try {
      await this.checkBucket();
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  presignPut(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.signer, new PutObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }

  /** A GET URL that makes browsers save the object under `fileName`. */
  presignGet(key: string, expiresInSeconds: number, fileName?: string): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: key,
      ResponseContentDisposition: fileName ? contentDisposition(fileName) : undefined,
    });
    return getSignedUrl(this.signer, command, { expiresIn: expiresInSeconds });
  }

  destroy(): void {
    this.client.destroy();
    if (this.signer !== this.client) this.signer.destroy();
  }
}

/** RFC 6266 attachment header with an ASCII fallback and the exact name in RFC 5987 form. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
