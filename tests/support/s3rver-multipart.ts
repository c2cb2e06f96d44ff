import { createHash } from 'node:crypto';
import { readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

// s3rver 3.7 implements CreateMultipartUpload, UploadPart and CompleteMultipartUpload,
// but not the three calls tus's S3 store also needs (it answers "MethodNotAllowed" or
// "NotImplemented"): ListParts (how far a resumed upload got), AbortMultipartUpload
// (removing an upload and its parts) and ListMultipartUploads (finding abandoned ones).
// These add them in front of s3rver's router, over the folder where s3rver itself keeps
// a multipart upload's parts (<bucket>/._S3rver_uploads/<uploadId>/{key,metadata,1,1.md5,…}),
// answering as the S3 API reference describes. Real S3 servers (AWS, MinIO, Ceph RGW,
// Garage, SeaweedFS, OSS/COS) implement them natively.

type S3ErrorClass = new (code: string, message?: string, detail?: Record<string, string>) => Error;
const S3Error = createRequire(import.meta.url)('s3rver/lib/models/error') as S3ErrorClass;

type Ctx = { method: string; path: string; query: Record<string, string | undefined>; status: number; body: unknown; headers: Record<string, string | undefined> };
type Next = () => Promise<void>;

const uploadsDir = (root: string, bucket: string) => path.join(root, bucket, '._S3rver_uploads');

async function initiated(dir: string): Promise<Date> {
  return (await stat(path.join(dir, 'key'))).mtime;
}

async function uploadKey(root: string, bucket: string, uploadId: string): Promise<string | null> {
  if (!/^[0-9a-f]+$/.test(uploadId)) return null;
  return readFile(path.join(uploadsDir(root, bucket), uploadId, 'key'), 'utf8').catch(() => null);
}

async function listParts(root: string, bucket: string, key: string, uploadId: string, marker: number) {
  const dir = path.join(uploadsDir(root, bucket), uploadId);
  const numbers = (await readdir(dir)).filter((f) => /^\d+$/.test(f)).map(Number).filter((n) => n > marker).sort((a, b) => a - b);
  const Part = await Promise.all(
    numbers.map(async (n) => {
      const file = path.join(dir, String(n));
      const [info, md5] = await Promise.all([stat(file), readFile(`${file}.md5`, 'utf8').catch(async () => createHash('md5').update(await readFile(file)).digest('hex'))]);
      return { PartNumber: n, LastModified: info.mtime.toISOString(), ETag: `"${md5}"`, Size: info.size };
    }),
  );
  return {
    ListPartsResult: {
      Bucket: bucket,
      Key: key,
      UploadId: uploadId,
      PartNumberMarker: marker,
      NextPartNumberMarker: numbers.at(-1) ?? marker,
      MaxParts: 10_000,
      IsTruncated: false,
      ...(Part.length > 0 ? { Part } : {}),
    },
  };
}

async function listUploads(root: string, bucket: string, prefix: string) {
  const ids = await readdir(uploadsDir(root, bucket)).catch(() => [] as string[]);
  const uploads = (
    await Promise.all(
      ids.map(async (UploadId) => {
        const Key = await uploadKey(root, bucket, UploadId);
        if (Key === null || !Key.startsWith(prefix)) return null;
        return { Key, UploadId, Initiated: (await initiated(path.join(uploadsDir(root, bucket), UploadId))).toISOString() };
      }),
    )
  ).filter((u) => u !== null);
  uploads.sort((a, b) => a.Key.localeCompare(b.Key) || a.UploadId.localeCompare(b.UploadId));
  return { ListMultipartUploadsResult: { Bucket: bucket, Prefix: prefix, MaxUploads: 1000, IsTruncated: false, ...(uploads.length > 0 ? { Upload: uploads } : {}) } };
}

/** A Koa middleware for s3rver (path-style requests) answering the three missing multipart calls. */
export function multipartExtensions(root: string) {
  return async (ctx: Ctx, next: Next) => {
    const [bucket, ...keyParts] = ctx.path.split('/').slice(1).map(decodeURIComponent);
    const key = keyParts.join('/');
    if (!bucket) return next();
    // s3rver checks the access key in its router; these calls check it the same loose way.
    if (!/Credential=S3RVER\//.test(ctx.headers.authorization ?? '')) throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (!key && ctx.method === 'GET' && 'uploads' in ctx.query) {
      ctx.body = await listUploads(root, bucket, ctx.query.prefix ?? '');
      return;
    }
    const uploadId = ctx.query.uploadId;
    const isListParts = ctx.method === 'GET' && uploadId !== undefined;
    const isAbort = ctx.method === 'DELETE' && uploadId !== undefined;
    if (!key || !(isListParts || isAbort)) return next();
    if ((await uploadKey(root, bucket, uploadId!)) !== key) throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId! });
    if (isAbort) {
      await rm(path.join(uploadsDir(root, bucket), uploadId!), { recursive: true, force: true });
      ctx.status = 204;
      return;
    }
    ctx.body = await listParts(root, bucket, key, uploadId!, Number(ctx.query['part-number-marker'] ?? 0));
  };
}

/** Moves every pending multipart upload's start back in time, as if begun `hours` ago. */
export async function backdateMultipartUploads(root: string, bucket: string, hours: number): Promise<number> {
  const then = new Date(Date.now() - hours * 3600_000);
  const ids = await readdir(uploadsDir(root, bucket)).catch(() => [] as string[]);
  await Promise.all(ids.map((id) => utimes(path.join(uploadsDir(root, bucket), id, 'key'), then, then)));
  return ids.length;
}

/** The ids of the multipart uploads s3rver still holds parts for. */
export async function pendingMultipartUploads(root: string, bucket: string): Promise<string[]> {
  return readdir(uploadsDir(root, bucket)).catch(() => [] as string[]);
}
