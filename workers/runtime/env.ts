import path from 'node:path';
import { z } from 'zod';

// Settings every process of ours needs (web and worker). Each process extends this
// schema with its own and parses process.env once, at start.
export const serviceEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string({ required_error: 'is not set; run `npm start` (it starts a local PostgreSQL) or set it to postgres://user:pass@host:port/db' })
    .url('must be a URL such as postgres://user:pass@127.0.0.1:5432/edu')
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must start with postgres:// or postgresql://'),
  REDIS_URL: z
    .string({ required_error: 'is not set; run `npm start` (it starts a local Redis) or set it to redis://host:port/0' })
    .url('must be a URL such as redis://127.0.0.1:6379/0')
    .refine((u) => /^rediss?:\/\//.test(u), 'must start with redis:// or rediss://'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Uploads and published video live here (local-disk storage); shared by web and worker nodes. */
  MEDIA_ROOT: z.string().default(path.resolve('.data/media')),
  /** Redis key prefix of the queues: deployments (or tests) sharing one Redis keep apart. */
  QUEUE_PREFIX: z.string().regex(/^[\w-]+$/).default('bull'),
  /** Abandoned partial uploads are removed after this many hours. */
  UPLOAD_EXPIRY_HOURS: z.coerce.number().positive().default(48),
  /** Where published video lives: `local` (under MEDIA_ROOT) or an S3-compatible bucket. */
  MEDIA_STORAGE: z.enum(['local', 's3'], { message: 'must be local or s3' }).default('local'),
  /** Where tus uploads wait for the worker: under MEDIA_ROOT (`local`) or in the bucket (`s3`). Follows MEDIA_STORAGE when unset. */
  UPLOAD_STORAGE: z.enum(['local', 's3'], { message: 'must be local or s3' }).optional(),
  S3_ENDPOINT: z.string().url('must be a URL such as https://s3.example.cn or http://127.0.0.1:9000').optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)').optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style URLs (http://host/bucket/key): what MinIO, Ceph RGW and most self-hosted servers need. */
  S3_FORCE_PATH_STYLE: z.enum(['0', '1', 'true', 'false']).default('0').transform((v) => v === '1' || v === 'true'),
  /** Optional key prefix inside the bucket (ends with /), so one bucket can serve several deployments. */
  S3_KEY_PREFIX: z.string().regex(/^([\w-]+\/)+$/, 'must look like edu/ or prod/media/').optional(),
});

/**
 * Outgoing mail, read by the worker (which sends it). Unset SMTP_URL: mail is not sent,
 * each message is marked failed and the worker says so at start. `npm start` and the
 * tests run a local capture server (scripts/mail-capture.ts) and set it.
 */
export const mailEnvSchema = z.object({
  SMTP_URL: z
    .string()
    .url('must be a URL such as smtp://user:pass@smtp.example.cn:587 or smtps://smtp.example.cn:465')
    .refine((u) => /^smtps?:\/\//.test(u), 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Provincial Online Education <no-reply@edu.invalid>'),
});

export type MediaStorageEnv = Pick<ServiceEnv, 'MEDIA_ROOT' | 'MEDIA_STORAGE' | 'UPLOAD_STORAGE' | 'S3_ENDPOINT' | 'S3_REGION' | 'S3_BUCKET' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY' | 'S3_FORCE_PATH_STYLE' | 'S3_KEY_PREFIX'>;

/** Uploads go where published media goes unless UPLOAD_STORAGE says otherwise (decision 022). */
export function uploadStorageKind(env: Pick<MediaStorageEnv, 'MEDIA_STORAGE' | 'UPLOAD_STORAGE'>): 'local' | 's3' {
  return env.UPLOAD_STORAGE ?? env.MEDIA_STORAGE;
}

/**
 * With MEDIA_STORAGE=s3 or UPLOAD_STORAGE=s3 the bucket is required, and keys come in
 * pairs (without them the SDK's usual sources apply: AWS_* variables, instance roles).
 */
export function requireS3Settings(env: MediaStorageEnv, ctx: z.RefinementCtx): void {
  if (env.MEDIA_STORAGE !== 's3' && uploadStorageKind(env) !== 's3') return;
  if (!env.S3_BUCKET) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['S3_BUCKET'], message: `is required when ${env.MEDIA_STORAGE === 's3' ? 'MEDIA_STORAGE' : 'UPLOAD_STORAGE'}=s3` });
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID'], message: 'must be set together with the other S3 key' });
  }
}

export type ServiceEnv = z.infer<typeof serviceEnvSchema>;

/** One line per problem: the variable, what is wrong, and how to fix it. */
export function describeEnvProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const name = issue.path.join('.') || 'environment';
    return `configuration error: ${name} ${issue.message}`;
  });
}

export function parseEnvOrExit<S extends z.ZodTypeAny>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  for (const line of describeEnvProblems(result.error)) console.error(line);
  process.exit(78); // EX_CONFIG
}
