import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@tus/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server, type RunningS3 } from '../../tests/support/s3-server.js';
import { backdateMultipartUploads, pendingMultipartUploads } from '../../tests/support/s3rver-multipart.js';
import { S3MediaStorage } from './s3-storage.js';
import { S3UploadStore } from './s3-upload-store.js';

// Uploads kept in a real S3-compatible server (s3rver, with the multipart calls it lacks
// added in tests/support/s3rver-multipart.ts), as several nodes see them: each store
// instance below is a process of its own (its own metadata cache, its own MEDIA_ROOT).
const MiB = 1024 * 1024;
let s3: RunningS3;
const roots: string[] = [];
let bucket: S3MediaStorage;

beforeAll(async () => {
  s3 = await startS3Server('upload-bucket');
  bucket = new S3MediaStorage({ endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true });
});
afterAll(async () => {
  await s3.close();
  await Promise.all(roots.map((r) => rm(r, { recursive: true, force: true })));
});

async function node(expiryHours = 48): Promise<S3UploadStore> {
  const mediaRoot = await mkdtemp(path.join(tmpdir(), 'edu-s3-upload-node-'));
  roots.push(mediaRoot);
  return new S3UploadStore({
    endpoint: s3.endpoint, region: 'us-east-1', bucket: s3.bucket, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true,
    keyPrefix: 'edu/', mediaRoot, expiryHours, maxBytes: 64 * MiB,
  });
}

async function begin(store: S3UploadStore, size: number): Promise<string> {
  const id = randomUUID();
  await store.datastore.create(new Upload({ id, size, offset: 0, metadata: { lessonId: randomUUID() } }));
  return id;
}

const write = (store: S3UploadStore, id: string, data: Buffer, offset: number) => store.datastore.write(Readable.from([data]), id, offset);
const objectKeys = async () => new Set((await bucket.list('edu/')).map((o) => o.key));

describe('tus uploads in an S3-compatible bucket', () => {
  it('resumes on another node from the parts and the tail the first node stored, and a worker copies the whole file', async () => {
    const data = randomBytes(12 * MiB);
    const webA = await node();
    const webB = await node();
    const worker = await node();
    const id = await begin(webA, data.length);

    // A full part (over S3's 5 MiB minimum) and then a short tail, as a cut connection leaves it.
    expect(await write(webA, id, data.subarray(0, 7 * MiB), 0)).toBe(7 * MiB);
    expect(await write(webA, id, data.subarray(7 * MiB, 8 * MiB), 7 * MiB)).toBe(8 * MiB);
    expect(await objectKeys()).toEqual(new Set([`edu/uploads/${id}.info`, `edu/uploads/${id}.part`]));

    const seenByB = await webB.datastore.getUpload(id);
    expect(seenByB.offset).toBe(8 * MiB);
    expect(seenByB.metadata?.lessonId).toBeDefined();
    expect(await write(webB, id, data.subarray(8 * MiB), 8 * MiB)).toBe(12 * MiB);

    expect((await webA.datastore.getUpload(id)).offset).toBe(12 * MiB);
    expect(await objectKeys()).toEqual(new Set([`edu/uploads/${id}`, `edu/uploads/${id}.info`]));
    expect(await pendingMultipartUploads(s3.directory, s3.bucket)).toEqual([]);

    const copy = await worker.fetchSource(id, data.length);
    expect(copy).toBe(worker.sourcePath(id));
    expect((await readFile(copy)).equals(data)).toBe(true);

    await worker.remove(id);
    expect(existsSync(copy)).toBe(false);
    expect(await objectKeys()).toEqual(new Set());
    // Every node sees it gone at once (web A had read it last): none reports it complete.
    for (const web of [webA, webB]) await expect(web.datastore.getUpload(id)).rejects.toMatchObject({ status_code: 404 });
  });

  it('refuses to copy an upload whose stored size is not the size it declared, leaving nothing behind', async () => {
    const web = await node();
    const worker = await node();
    const id = await begin(web, 1000);
    await write(web, id, randomBytes(1000), 0);
    await expect(worker.fetchSource(id, 999)).rejects.toThrow(/holds 1000 bytes, 999 were expected/);
    await expect(worker.fetchSource(id, 65 * MiB)).rejects.toThrow(/over the/);
    expect(await readdir(path.join(roots.at(-1)!, 'sources')).catch(() => [])).toEqual([]);
    await web.remove(id);
  });

  it('removing a partial upload aborts its multipart upload, so its parts are gone too', async () => {
    const web = await node();
    const id = await begin(web, 12 * MiB);
    await write(web, id, randomBytes(6 * MiB), 0);
    expect(await pendingMultipartUploads(s3.directory, s3.bucket)).toHaveLength(1);
    await web.remove(id);
    expect(await pendingMultipartUploads(s3.directory, s3.bucket)).toEqual([]);
    expect(await objectKeys()).toEqual(new Set());
    await web.remove(id); // twice is harmless
  });

  it('purges partial uploads begun before the expiry, and keeps recent and finished ones', async () => {
    const web = await node(48);
    const abandoned = await begin(web, 12 * MiB);
    await write(web, abandoned, randomBytes(6 * MiB), 0);
    await write(web, abandoned, randomBytes(MiB), 6 * MiB);
    const finished = await begin(web, 10);
    await write(web, finished, randomBytes(10), 0);
    expect(await backdateMultipartUploads(s3.directory, s3.bucket, 49)).toBe(1);
    const recent = await begin(web, 12 * MiB);
    await write(web, recent, randomBytes(MiB), 0);

    expect(await web.purgeAbandoned()).toBeGreaterThan(0);
    const pending = await pendingMultipartUploads(s3.directory, s3.bucket);
    expect(pending).toHaveLength(1);
    expect(await objectKeys()).toEqual(new Set([`edu/uploads/${finished}`, `edu/uploads/${finished}.info`, `edu/uploads/${recent}.info`, `edu/uploads/${recent}.part`]));
    expect((await web.datastore.getUpload(recent)).offset).toBe(MiB);
    await Promise.all([web.remove(finished), web.remove(recent)]);
  });

  it('a file a worker made itself (a class recording) becomes an upload any other worker copies, and goes like any upload', async () => {
    const data = randomBytes(3 * MiB + 17);
    const packager = await node();
    const other = await node();
    const id = randomUUID();
    await mkdir(path.dirname(packager.sourcePath(id)), { recursive: true });
    await writeFile(packager.sourcePath(id), data);

    await packager.publishSource(id);
    expect(await objectKeys()).toEqual(new Set([`edu/uploads/${id}`]));
    // The packager keeps its copy (its probe finds it in place); another node fetches one.
    expect(await packager.fetchSource(id, data.length)).toBe(packager.sourcePath(id));
    const copy = await other.fetchSource(id, data.length);
    expect(copy).toBe(other.sourcePath(id));
    expect((await readFile(copy)).equals(data)).toBe(true);
    // Purging abandoned uploads leaves it (it is no multipart upload), removing takes it.
    expect(await backdateMultipartUploads(s3.directory, s3.bucket, 49)).toBe(0);
    await other.purgeAbandoned();
    expect(await objectKeys()).toEqual(new Set([`edu/uploads/${id}`]));
    await packager.remove(id);
    await other.releaseSource(id);
    expect(await objectKeys()).toEqual(new Set());
    expect(existsSync(packager.sourcePath(id))).toBe(false);
  });
});
