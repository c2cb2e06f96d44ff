import { mkdirSync } from 'node:fs';
import { FileStore } from '@tus/file-store';
import { mediaPaths } from './media-paths.js';

/** The tus upload store on local disk: the web node writes to it, the worker reads and cleans it. */
export function createUploadStore(mediaRoot: string, expiryHours: number): FileStore {
  const directory = mediaPaths(mediaRoot).uploads;
  mkdirSync(directory, { recursive: true });
  return new FileStore({ directory, expirationPeriodInMilliseconds: expiryHours * 3600_000 });
}
