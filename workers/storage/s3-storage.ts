import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException, type S3ClientConfig } from '@aws-sdk/client-s3';
import { assertStorageKey, assertStoragePrefix, contentTypeOf, formatByteRange, RangeNotSatisfiableError, resolveByteRange, type ByteRange, type ListedObject, type MediaStorage, type StoredObject } from './media-storage.js';

export type S3StorageConfig = {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Prepended to every key, so one bucket can hold several deployments. */
  keyPrefix?: string;
};

/** The SDK client settings every bucket user of ours shares (media storage, tus uploads). */
export function s3ClientConfig(config: S3StorageConfig): S3ClientConfig {
  return {
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: config.accessKeyId && config.secretAccessKey ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } : undefined,
    // Many S3-compatible servers reject the SDK's newer default checksum trailers.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 4,
  };
}

/**
 * An S3-compatible bucket (AWS S3, MinIO, Ceph RGW, Garage, SeaweedFS, OSS/COS in S3
 * mode). A PUT is atomic on every S3, so readers see whole objects only; the order in
 * which publishFolder puts them is what keeps a playlist from naming a missing segment.
 */
export class S3MediaStorage implements MediaStorage {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly keyPrefix: string;

  constructor(config: S3StorageConfig) {
    this.bucket = config.bucket;
    this.keyPrefix = config.keyPrefix ? assertStoragePrefix(config.keyPrefix) : '';
    this.client = new S3Client(s3ClientConfig(config));
  }

  private key(key: string): string {
    return this.keyPrefix + assertStorageKey(key);
  }

  async put(key: string, body: Buffer | { file: string }): Promise<void> {
    const length = Buffer.isBuffer(body) ? body.length : (await stat(body.file)).size;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.key(key),
        Body: Buffer.isBuffer(body) ? body : createReadStream(body.file),
        ContentLength: length,
        ContentType: contentTypeOf(key),
      }),
    );
  }

  async read(key: string, asked?: ByteRange): Promise<StoredObject | null> {
    try {
      // Some S3-compatible servers (s3rver among them) ignore suffix ranges (`bytes=-n`):
      // those rare requests pay one HEAD to turn them into ordinary ranges.
      const range = asked && 'suffix' in asked ? resolveByteRange(asked, await this.sizeOf(key)) : asked;
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key), Range: range ? formatByteRange(range) : undefined }));
      const length = out.ContentLength ?? 0;
      const ranged = out.ContentRange ? /^bytes (\d+)-(\d+)\/(\d+)$/.exec(out.ContentRange) : null;
      const start = ranged ? Number(ranged[1]) : 0;
      return {
        body: out.Body as Readable,
        size: ranged ? Number(ranged[3]) : length,
        start,
        end: ranged ? Number(ranged[2]) : length - 1,
        contentType: contentTypeOf(key),
        etag: out.ETag ?? null,
        lastModified: out.LastModified ?? null,
      };
    } catch (error) {
      if (error instanceof S3ServiceException && (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404)) return null;
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 416) throw new RangeNotSatisfiableError(await this.sizeOf(key));
      throw error;
    }
  }

  private async sizeOf(key: string): Promise<number> {
    return (await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(key) }))).ContentLength ?? 0;
  }

  async list(prefix: string): Promise<ListedObject[]> {
    const found: ListedObject[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.keyPrefix + assertStoragePrefix(prefix), ContinuationToken: token }));
      for (const o of page.Contents ?? []) if (o.Key) found.push({ key: o.Key.slice(this.keyPrefix.length), size: o.Size ?? 0 });
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  async remove(keys: readonly string[]): Promise<void> {
    // DeleteObjects takes at most 1000 keys per request.
    for (let i = 0; i < keys.length; i += 1000) {
      const batch = keys.slice(i, i + 1000).map((key) => ({ Key: this.key(key) }));
      const out = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch, Quiet: true } }));
      if (out.Errors?.length) throw new Error(`could not delete ${out.Errors.length} media objects: ${out.Errors[0]?.Code ?? 'unknown'} ${out.Errors[0]?.Key ?? ''}`);
    }
  }

  async removePrefix(prefix: string): Promise<number> {
    const keys = (await this.list(prefix)).map((o) => o.key);
    await this.remove(keys);
    return keys.length;
  }

  destroy(): void {
    this.client.destroy();
  }
}
