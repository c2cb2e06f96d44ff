import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { FileStore } from '@tus/file-store';
import type { DataStore } from '@tus/utils';
import { uploadStorageKind, type MediaStorageEnv } from '../runtime/env.js';
import { mediaPaths } from '../runtime/media-paths.js';
import { S3UploadStore } from './s3-upload-store.js';
import { s3SettingsOf } from './index.js';

/** The largest lecture a teacher may upload (issue 3). */
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

/**
 * Where tus uploads wait between the teacher's browser and the worker that probes and
 * transcodes them: a folder under MEDIA_ROOT that web and worker nodes share, or the
 * bucket, from which each worker copies what it needs (decision 022).
 */
export interface UploadStore {
  readonly kind: 'local' | 's3';
  /** What the tus server on a web node writes through. */
  readonly datastore: DataStore;
  /** Where ffmpeg on this node reads the finished upload, once `fetchSource` has put it there. */
  sourcePath(uploadId: string): string;
  /** Makes the finished upload readable at `sourcePath` on this node, and returns that path. */
  fetchSource(uploadId: string, expectedBytes: number): Promise<string>;
  /** Drops this node's copy of the upload, if it made one; the upload itself stays. */
  releaseSource(uploadId: string): Promise<void>;
  /**
   * A file this node made itself at `sourcePath` (a class recording) becomes a finished
   * upload that any worker node can fetch, as if a teacher had uploaded it.
   */
  publishSource(uploadId: string): Promise<void>;
  /** Deletes the upload, finished or partial, and this node's copy. Running it twice is harmless. */
  remove(uploadId: string): Promise<void>;
  /** Deletes partial uploads begun longer ago than the expiry; returns how many objects or files went. */
  purgeAbandoned(): Promise<number>;
  /** Removes this node's copies of uploads that `wanted` does not name; returns how many. */
  sweepSources(wanted: (uploadIds: string[]) => Promise<Set<string>>): Promise<number>;
}

/** tus's file store under MEDIA_ROOT/uploads: the web node writes it, the worker reads it in place. */
export class LocalUploadStore implements UploadStore {
  readonly kind = 'local';
  readonly datastore: FileStore;
  private readonly paths: ReturnType<typeof mediaPaths>;

  constructor(mediaRoot: string, expiryHours: number) {
    this.paths = mediaPaths(mediaRoot);
    mkdirSync(this.paths.uploads, { recursive: true });
    this.datastore = new FileStore({ directory: this.paths.uploads, expirationPeriodInMilliseconds: expiryHours * 3600_000 });
  }

  sourcePath(uploadId: string): string {
    return this.paths.upload(uploadId);
  }

  async fetchSource(uploadId: string): Promise<string> {
    return this.sourcePath(uploadId);
  }

  async releaseSource(): Promise<void> {}

  /** The source path is the shared uploads folder itself: every node already reads it there. */
  async publishSource(): Promise<void> {}

  async remove(uploadId: string): Promise<void> {
    await rm(this.paths.upload(uploadId), { force: true });
    await rm(`${this.paths.upload(uploadId)}.json`, { force: true });
  }

  purgeAbandoned(): Promise<number> {
    return this.datastore.deleteExpired();
  }

  async sweepSources(): Promise<number> {
    return 0;
  }
}

/** The store UPLOAD_STORAGE names (following MEDIA_STORAGE when unset). */
export function createUploadStore(env: MediaStorageEnv & { UPLOAD_EXPIRY_HOURS: number }): UploadStore {
  if (uploadStorageKind(env) === 'local') return new LocalUploadStore(env.MEDIA_ROOT, env.UPLOAD_EXPIRY_HOURS);
  return new S3UploadStore({ ...s3SettingsOf(env), mediaRoot: env.MEDIA_ROOT, expiryHours: env.UPLOAD_EXPIRY_HOURS, maxBytes: MAX_UPLOAD_BYTES });
}
