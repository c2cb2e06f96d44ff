import type { MediaStorageEnv } from '../runtime/env.js';
import { LocalMediaStorage } from './local-storage.js';
import type { MediaStorage } from './media-storage.js';
import { S3MediaStorage, type S3StorageConfig } from './s3-storage.js';
import { slidePageFile, slideThumbFile } from '../../media/slide-files.js';

export type { ByteRange, MediaStorage, StoredObject } from './media-storage.js';
export { RangeNotSatisfiableError } from './media-storage.js';
export { fetchFolder, inBatches, PUT_CONCURRENCY, publishFolder, type PublishMemory } from './publish-folder.js';

/** The storage MEDIA_STORAGE names; its settings were checked when the process started. */
export function createMediaStorage(env: MediaStorageEnv): MediaStorage {
  if (env.MEDIA_STORAGE === 'local') return new LocalMediaStorage(env.MEDIA_ROOT);
  return new S3MediaStorage(s3SettingsOf(env));
}

/** The bucket settings from the environment (checked at start by requireS3Settings). */
export function s3SettingsOf(env: MediaStorageEnv): S3StorageConfig {
  return {
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    bucket: env.S3_BUCKET!,
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    keyPrefix: env.S3_KEY_PREFIX,
  };
}

/** Where a video's published files live in the storage. */
export const videoKeys = {
  video: (videoId: string) => `videos/${videoId}/`,
  ladder: (videoId: string) => `videos/${videoId}/hls/`,
  /**
   * The chunk ladders of a long lecture waiting for their join (decision 014): kept apart
   * from `videos/`, which the web node serves, and removed once joined.
   */
  chunks: (videoId: string) => `chunks/${videoId}/`,
  chunk: (videoId: string, index: number) => `chunks/${videoId}/${index}/`,
};

/** A live session's slide decks (PDF pages rendered by the worker, decision 023). */
export const slideKeys = {
  session: (sessionId: string) => `slides/${sessionId}/`,
  deck: (sessionId: string, deckId: string) => `slides/${sessionId}/${deckId}/`,
  source: (sessionId: string, deckId: string) => `slides/${sessionId}/${deckId}/source.pdf`,
  page: (sessionId: string, deckId: string, page: number) => `slides/${sessionId}/${deckId}/${slidePageFile(page)}`,
  thumb: (sessionId: string, deckId: string, page: number) => `slides/${sessionId}/${deckId}/${slideThumbFile(page)}`,
};

/** Where a live broadcast's rolling HLS window lives while it is on air (decision 021). */
export const liveKeys = {
  broadcast: (broadcastId: string) => `live/${broadcastId}/`,
};
