import { createMediaStorage, type MediaStorage } from '../../../workers/storage/index.js';
import { getEnv } from '../../env.server.js';

const g = globalThis as typeof globalThis & { __eduMediaStorage?: MediaStorage };

/** One storage client per process, shared by the express host and the Remix build (see services.server.ts). */
export function getMediaStorage(): MediaStorage {
  return (g.__eduMediaStorage ??= createMediaStorage(getEnv()));
}
