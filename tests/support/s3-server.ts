import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';
import { multipartExtensions } from './s3rver-multipart.js';

export type RunningS3 = {
  endpoint: string;
  bucket: string;
  /** Where s3rver keeps the bucket's objects and pending multipart uploads. */
  directory: string;
  /** The settings a web node or worker needs to use this server (MEDIA_STORAGE=s3 …). */
  env: Record<string, string>;
  close(): Promise<void>;
};

/**
 * A real S3-compatible HTTP server (s3rver, an npm dev dependency: no apt package of
 * MinIO, Garage, SeaweedFS or moto exists on Debian) on a free loopback port, with one
 * bucket, storing into a temporary folder. It knows one access key (S3RVER) and refuses
 * others, but does not verify SigV4 signatures themselves. Three multipart calls it
 * lacks (ListParts, AbortMultipartUpload, ListMultipartUploads) are added in front of
 * its router: see s3rver-multipart.ts.
 */
export async function startS3Server(bucket = 'lecture-media'): Promise<RunningS3> {
  const directory = await mkdtemp(path.join(tmpdir(), 'edu-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  // Koa composes its middleware when it starts listening: in before the router (the last one).
  server.middleware.splice(server.middleware.length - 1, 0, multipartExtensions(directory));
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    directory,
    // s3rver's built-in account.
    env: { MEDIA_STORAGE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_REGION: 'us-east-1', S3_ACCESS_KEY_ID: 'S3RVER', S3_SECRET_ACCESS_KEY: 'S3RVER', S3_FORCE_PATH_STYLE: '1' },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
