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
});

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
