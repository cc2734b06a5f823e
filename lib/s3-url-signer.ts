import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { GetObjectCommand, S3Client, UploadPartCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import type { Config } from "./config";
import { contentDisposition } from "./content-disposition";

/**
 * Presigned URLs hand a capability to whoever holds them, so they are never signed with the API's own
 * key (docs/DEPLOY.md, "Storage credentials"). Part URLs are signed with a credential that may only
 * write; download URLs with one that may only read. With `sts`, each credential is a short-lived one
 * from STS AssumeRole whose session policy narrows it further: a part URL's may write one key and
 * nothing else, so a part upload that names a copy source (UploadPartCopy) has nothing it may read.
 */
export type UrlSigning = "sts" | "keys";

export interface Credential {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface UrlSignerOptions {
  signing: UrlSigning;
  /** Host put into the URLs (the public endpoint when clients reach S3 under another name). */
  endpoint: string;
  region: string;
  bucket: string;
  /** Upload-only credential (keys) or the one that assumes the upload role (sts). */
  upload: Credential & { roleArn: string };
  /** Read-only credential (keys) or the one that assumes the download role (sts). */
  download: Credential & { roleArn: string };
  /** STS endpoint; MinIO serves STS on its S3 port. */
  stsEndpoint: string;
}

type Role = "upload" | "download";

interface TemporaryCredential extends Credential {
  sessionToken?: string;
  expiresAt: number;
}

/** STS never issues credentials for less than 15 minutes. */
const MIN_STS_SECONDS = 900;

export class UrlSigner {
  private readonly sts: Record<Role, STSClient> | null;
  private downloadCredential: TemporaryCredential | null = null;

  constructor(private readonly options: UrlSignerOptions) {
    const stsClient = (credentials: Credential) =>
      new STSClient({ endpoint: options.stsEndpoint, region: options.region, credentials });
    this.sts =
      options.signing === "sts" ? { upload: stsClient(options.upload), download: stsClient(options.download) } : null;
  }

  /** A PUT URL for one part whose length is part of the signature, signed by a write-only credential. */
  async uploadPart(
    key: string,
    uploadId: string,
    partNumber: number,
    contentLength: number,
    expiresInSeconds: number,
  ): Promise<string> {
    const credential = await this.assume("upload", [{ action: "s3:PutObject", key }], expiresInSeconds);
    const command = new UploadPartCommand({
      Bucket: this.options.bucket,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      ContentLength: contentLength,
    });
    const signer = this.signer(credential);
    try {
      return await getSignedUrl(signer, command, {
        expiresIn: expiresInSeconds,
        signableHeaders: new Set(["content-length"]),
      });
    } finally {
      signer.destroy();
    }
  }

  /**
   * A GET URL signed by a read-only credential; with `fileName`, browsers save it under that name,
   * and with `contentType` it is served as that type whatever the object was stored with.
   */
  async download(key: string, expiresInSeconds: number, fileName?: string, contentType?: string): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.options.bucket,
      Key: key,
      ResponseContentDisposition: fileName ? contentDisposition(fileName) : undefined,
      ResponseContentType: contentType,
    });
    const signer = this.signer(await this.readCredential(expiresInSeconds));
    try {
      return await getSignedUrl(signer, command, { expiresIn: expiresInSeconds });
    } finally {
      signer.destroy();
    }
  }

  destroy(): void {
    this.sts?.upload.destroy();
    this.sts?.download.destroy();
  }

  /** One read-only credential for the whole bucket, renewed before a URL signed with it could outlive it. */
  private async readCredential(expiresInSeconds: number): Promise<TemporaryCredential> {
    const needed = Date.now() + (expiresInSeconds + 60) * 1000;
    if (!this.downloadCredential || this.downloadCredential.expiresAt < needed) {
      this.downloadCredential = await this.assume(
        "download",
        [{ action: "s3:GetObject", key: "*" }],
        Math.max(3600, expiresInSeconds * 2),
      );
    }
    return this.downloadCredential;
  }

  private async assume(
    role: Role,
    grants: { action: string; key: string }[],
    seconds: number,
  ): Promise<TemporaryCredential> {
    const credential = this.options[role];
    if (!this.sts) return { ...credential, expiresAt: Number.POSITIVE_INFINITY };
    const policy = {
      Version: "2012-10-17",
      Statement: grants.map(({ action, key }) => ({
        Effect: "Allow",
        Action: [action],
        Resource: [`arn:aws:s3:::${this.options.bucket}/${key}`],
      })),
    };
    const { Credentials } = await this.sts[role].send(
      new AssumeRoleCommand({
        RoleArn: credential.roleArn,
        RoleSessionName: `coffer-${role}`,
        Policy: JSON.stringify(policy),
        DurationSeconds: Math.max(MIN_STS_SECONDS, seconds),
      }),
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new Error("STS returned no credentials");
    return {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
      expiresAt: Credentials.Expiration?.getTime() ?? Date.now() + MIN_STS_SECONDS * 1000,
    };
  }

  /** A client that only signs (it opens no socket), with the credential given; destroy it after use. */
  private signer(credential: TemporaryCredential): S3Client {
    return new S3Client({
      endpoint: this.options.endpoint,
      region: this.options.region,
      credentials: credential,
      forcePathStyle: true,
      // Default checksums would sign the CRC of an empty body into presigned part URLs.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }
}

/** The signer the config describes; with `sts`, unset upload and download keys default to the server's own. */
export function urlSignerFromConfig(config: Config): UrlSigner {
  const key = (accessKey: string | undefined, secretKey: string | undefined) => ({
    accessKeyId: accessKey ?? config.S3_ACCESS_KEY,
    secretAccessKey: secretKey ?? config.S3_SECRET_KEY,
  });
  return new UrlSigner({
    signing: config.S3_URL_SIGNING,
    endpoint: config.S3_PUBLIC_ENDPOINT ?? config.S3_ENDPOINT,
    region: config.S3_REGION,
    bucket: config.S3_BUCKET,
    stsEndpoint: config.S3_STS_ENDPOINT ?? config.S3_ENDPOINT,
    upload: { ...key(config.S3_UPLOAD_ACCESS_KEY, config.S3_UPLOAD_SECRET_KEY), roleArn: config.S3_UPLOAD_ROLE_ARN },
    download: {
      ...key(config.S3_DOWNLOAD_ACCESS_KEY, config.S3_DOWNLOAD_SECRET_KEY),
      roleArn: config.S3_DOWNLOAD_ROLE_ARN,
    },
  });
}
