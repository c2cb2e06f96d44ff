import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@tus/utils';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalUploadStore } from '../storage/upload-store.js';
import { purgeAbandonedUploads } from './purge-abandoned-uploads.js';

const root = await mkdtemp(path.join(tmpdir(), 'edu-uploads-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('purge-abandoned-uploads', () => {
  it('deletes partial uploads older than the expiry and keeps recent or finished ones', async () => {
    const uploads = new LocalUploadStore(root, 48);
    const store = uploads.datastore;
    const daysAgo = (d: number) => new Date(Date.now() - d * 24 * 3600_000).toISOString();
    await store.create(new Upload({ id: 'abandoned', size: 100, offset: 0, creation_date: daysAgo(3) }));
    await store.create(new Upload({ id: 'in-progress', size: 100, offset: 0, creation_date: daysAgo(1) }));
    await store.create(new Upload({ id: 'finished', size: 4, offset: 0, creation_date: daysAgo(5) }));
    await store.write(Readable.from([Buffer.from('done')]), 'finished', 0);
    const upload = await store.getUpload('finished');
    await store.configstore.set('finished', new Upload({ ...upload, offset: 4 }));

    expect(await purgeAbandonedUploads(uploads)).toEqual({ deleted: 1 });
    const file = (id: string) => path.join(root, 'uploads', id);
    expect(existsSync(file('abandoned'))).toBe(false);
    expect(existsSync(file('in-progress'))).toBe(true);
    expect(existsSync(file('finished'))).toBe(true);
  });
});
