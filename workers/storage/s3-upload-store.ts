import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { GetObjectCommandOutput } from '@aws-sdk/client-s3';
import { S3Store, type MetadataValue } from '@tus/s3-store';
import type { KvStore } from '@tus/utils';
import { mediaPaths } from '../runtime/media-paths.js';
import { assertStoragePrefix } from './media-storage.js';
import { s3ClientConfig, type S3StorageConfig } from './s3-storage.js';
import type { UploadStore } from './upload-store.js';

/** Room left on a worker's disk beyond the copy itself, for the ladder ffmpeg writes beside it. */
const DISK_HEADROOM_BYTES = 512 * 1024 ** 2;

const isNotFound = (error: unknown) => error instanceof Error && ['NoSuchUpload', 'NoSuchKey', 'NotFound'].includes(error.name);

const noCache: KvStore<MetadataValue> = { get: async () => undefined, set: async () => {}, delete: async () => {} };

type KeyedInput = { Key?: string; Prefix?: string; KeyMarker?: string; Delete?: { Objects?: { Key?: string }[] } };
type KeyedOutput = { Key?: string; NextKeyMarker?: string; Uploads?: { Key?: string }[] };

/**
 * tus's S3 store, kept under `<S3_KEY_PREFIX>uploads/` instead of the bucket's root (the
 * store has no prefix option): every key it sends gets the prefix, every key it is sent
 * back loses it, and listing pending multipart uploads sees only ours.
 */
class PrefixedS3Store extends S3Store {
  constructor(options: ConstructorParameters<typeof S3Store>[0], readonly keyPrefix: string) {
    super(options);
    const strip = (key: string | undefined) => (key?.startsWith(keyPrefix) ? key.slice(keyPrefix.length) : key);
    this.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = { ...(args.input as KeyedInput) };
        if (input.Key !== undefined) input.Key = keyPrefix + input.Key;
        if (input.Delete?.Objects) input.Delete = { ...input.Delete, Objects: input.Delete.Objects.map((o) => ({ ...o, Key: keyPrefix + o.Key })) };
        if (context.commandName === 'ListMultipartUploadsCommand') {
          input.Prefix = keyPrefix;
          if (input.KeyMarker !== undefined) input.KeyMarker = keyPrefix + input.KeyMarker;
        }
        const result = await next({ ...args, input });
        const output = result.output as KeyedOutput;
        output.Key = strip(output.Key);
        output.NextKeyMarker = strip(output.NextKeyMarker);
        for (const u of output.Uploads ?? []) u.Key = strip(u.Key);
        return result;
      },
      { step: 'initialize', name: 'eduUploadKeyPrefix' },
    );
  }

  /** The finished upload's object (GetObject on the multipart upload's key). */
  openFinished(id: string): Promise<GetObjectCommandOutput> {
    return this.client.getObject({ Bucket: this.bucket, Key: id });
  }

  /** Stores a whole file as a finished upload's object, at the key a multipart upload completes to. */
  async putFinished(id: string, file: string): Promise<void> {
    const { size } = await stat(file);
    await this.client.putObject({ Bucket: this.bucket, Key: id, Body: createReadStream(file), ContentLength: size });
  }

  /**
   * tus's own remove() gives up when the multipart upload is already complete (S3 answers
   * NoSuchUpload) and leaves the object: this one aborts a pending upload's parts if any,
   * then deletes the object, its `.info` and its `.part`, found or not.
   */
  override async remove(id: string): Promise<void> {
    const multipartId = await this.getMetadata(id).then((m) => m['upload-id'], () => undefined);
    if (multipartId) {
      await this.client.abortMultipartUpload({ Bucket: this.bucket, Key: id, UploadId: multipartId }).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
    await this.client.deleteObjects({ Bucket: this.bucket, Delete: { Objects: [{ Key: id }, { Key: this.infoKey(id) }, { Key: this.partKey(id, true) }], Quiet: true } });
    await this.clearCache(id);
  }
}

/** Fails the stream once more than `limit` bytes have passed: a copy never outgrows what the upload declared. */
function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      done(seen > limit ? new Error(`the stored upload is larger than its ${limit} bytes`) : null, chunk);
    },
  });
}

export type S3UploadStoreConfig = S3StorageConfig & { mediaRoot: string; expiryHours: number; maxBytes: number };

/**
 * Uploads in an S3-compatible bucket (tus multipart uploads, @tus/s3-store): any web
 * node can continue any upload, and a worker copies a finished one into its own
 * sources/ folder (streamed, bounded by the declared size and the free disk) to probe
 * and transcode it there.
 */
export class S3UploadStore implements UploadStore {
  readonly kind = 's3';
  readonly datastore: PrefixedS3Store;
  private readonly paths: ReturnType<typeof mediaPaths>;
  private readonly maxBytes: number;
  private readonly fetching = new Map<string, Promise<string>>();

  constructor(config: S3UploadStoreConfig) {
    const prefix = `${config.keyPrefix ? assertStoragePrefix(config.keyPrefix) : ''}uploads/`;
    this.datastore = new PrefixedS3Store(
      {
        s3ClientConfig: { ...s3ClientConfig(config), bucket: config.bucket },
        expirationPeriodInMilliseconds: config.expiryHours * 3600_000,
        // Expiry is our purge job's business, not a bucket lifecycle rule's; not every
        // S3-compatible server keeps object tags.
        useTags: false,
        // tus caches each upload's `.info` per process, but another node (the worker that
        // published or purged it) may delete the upload: a stale entry would report a
        // deleted upload as complete. One small GET per request instead.
        cache: noCache,
      },
      prefix,
    );
    this.paths = mediaPaths(config.mediaRoot);
    this.maxBytes = config.maxBytes;
  }

  sourcePath(uploadId: string): string {
    return this.paths.source(uploadId);
  }

  async fetchSource(uploadId: string, expectedBytes: number): Promise<string> {
    const target = this.sourcePath(uploadId);
    if ((await stat(target).catch(() => null))?.size === expectedBytes) return target;
    let pending = this.fetching.get(uploadId);
    if (!pending) {
      pending = this.download(uploadId, expectedBytes, target).finally(() => this.fetching.delete(uploadId));
      this.fetching.set(uploadId, pending);
    }
    return pending;
  }

  private async download(uploadId: string, expectedBytes: number, target: string): Promise<string> {
    if (expectedBytes > this.maxBytes) throw new Error(`upload ${uploadId} declares ${expectedBytes} bytes, over the ${this.maxBytes} limit`);
    const object = await this.datastore.openFinished(uploadId);
    const body = object.Body as Readable;
    try {
      if (object.ContentLength !== expectedBytes) throw new Error(`upload ${uploadId} holds ${object.ContentLength} bytes, ${expectedBytes} were expected`);
      await mkdir(this.paths.sources, { recursive: true });
      const disk = await statfs(this.paths.sources);
      if (disk.bavail * disk.bsize < expectedBytes + DISK_HEADROOM_BYTES) throw new Error(`not enough free disk in ${this.paths.sources} for upload ${uploadId} (${expectedBytes} bytes)`);
    } catch (error) {
      body.destroy();
      throw error;
    }
    const partial = `${target}.partial-${randomUUID()}`;
    try {
      await pipeline(body, byteLimit(expectedBytes), createWriteStream(partial, { flags: 'wx' }));
      await rename(partial, target);
      return target;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async releaseSource(uploadId: string): Promise<void> {
    await rm(this.sourcePath(uploadId), { force: true });
  }

  /** Puts this node's file into the bucket; the copy stays here, so this node's probe finds it in place. */
  async publishSource(uploadId: string): Promise<void> {
    await this.datastore.putFinished(uploadId, this.sourcePath(uploadId));
  }

  async remove(uploadId: string): Promise<void> {
    await this.datastore.remove(uploadId);
    await this.releaseSource(uploadId);
  }

  purgeAbandoned(): Promise<number> {
    return this.datastore.deleteExpired();
  }

  async sweepSources(wanted: (uploadIds: string[]) => Promise<Set<string>>): Promise<number> {
    const files = await readdir(this.paths.sources).catch(() => [] as string[]);
    const idOf = (file: string) => file.slice(0, 36);
    const keep = await wanted([...new Set(files.map(idOf))]);
    const stale = files.filter((f) => !keep.has(idOf(f)) && !this.fetching.has(idOf(f)));
    await Promise.all(stale.map((f) => rm(path.join(this.paths.sources, f), { force: true })));
    return stale.length;
  }
}
