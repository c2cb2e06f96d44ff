import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { assertStorageKey, assertStoragePrefix, contentTypeOf, resolveByteRange, type ByteRange, type ListedObject, type MediaStorage, type StoredObject } from './media-storage.js';

/**
 * Objects are files under the root (MEDIA_ROOT), at the path their key names, so the
 * layout is the one a shared file system or a plain web server would use. Each write
 * goes to a hidden sibling and is renamed into place: readers see whole files only.
 */
export class LocalMediaStorage implements MediaStorage {
  readonly kind = 'local';

  constructor(private readonly root: string) {}

  private file(key: string): string {
    return path.join(this.root, assertStorageKey(key));
  }

  async put(key: string, body: Buffer | { file: string }): Promise<void> {
    const target = this.file(key);
    await mkdir(path.dirname(target), { recursive: true });
    const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      if (Buffer.isBuffer(body)) await writeFile(temp, body);
      else await copyFile(body.file, temp);
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async read(key: string, range?: ByteRange): Promise<StoredObject | null> {
    const file = this.file(key);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const { start, end } = resolveByteRange(range, info.size);
    return {
      body: createReadStream(file, { start, end: Math.max(start, end) }),
      size: info.size,
      start,
      end,
      contentType: contentTypeOf(key),
      etag: `W/"${info.size.toString(16)}-${info.mtimeMs.toString(16)}"`,
      lastModified: info.mtime,
    };
  }

  async list(prefix: string): Promise<ListedObject[]> {
    const dir = this.file(assertStoragePrefix(prefix).slice(0, -1));
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    const found: ListedObject[] = [];
    for (const entry of entries) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const full = path.join(entry.parentPath, entry.name);
      const key = path.relative(this.root, full).split(path.sep).join('/');
      if (key.split('/').some((part) => part.startsWith('.'))) continue;
      found.push({ key, size: (await stat(full)).size });
    }
    return found.sort((a, b) => a.key.localeCompare(b.key));
  }

  async remove(keys: readonly string[]): Promise<void> {
    await Promise.all(keys.map((key) => rm(this.file(key), { force: true })));
  }

  async removePrefix(prefix: string): Promise<number> {
    const count = (await this.list(prefix)).length;
    await rm(this.file(assertStoragePrefix(prefix).slice(0, -1)), { recursive: true, force: true });
    return count;
  }
}
