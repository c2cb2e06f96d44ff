import { z } from 'zod';
import { parseEnvOrExit, requireS3Settings, serviceEnvSchema } from '../workers/runtime/env.js';

const booleanish = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

export const webEnvSchema = serviceEnvSchema
  .extend({
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    PUBLIC_URL: z.string().url('must be the URL people open, e.g. https://edu.example.cn').optional(),
    SESSION_SECRET: z
      .string({ required_error: 'is not set; generate one with `openssl rand -hex 32` (npm start makes one in .data/local.env)' })
      .min(32, 'must be at least 32 characters; generate one with `openssl rand -hex 32`'),
    SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 14),
    /** Hops of reverse proxy to trust for the client IP (X-Forwarded-For); 0 when exposed directly. */
    TRUST_PROXY: z.coerce.number().int().min(0).default(0),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
    LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(30),
    LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().positive().default(15 * 60),
    SECURE_COOKIES: booleanish.optional(),
    /** Seals institutions' Ed25519 signing keys at rest; falls back to a key derived from SESSION_SECRET. */
    CREDENTIAL_KEY_SECRET: z.string().min(32, 'must be at least 32 characters; generate one with `openssl rand -hex 32`').optional(),
    /** Largest lesson material (PDF, slides…) a teacher may upload, in bytes. */
    MATERIAL_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
    /** How long anonymous visitors share a rendered catalog, course or institution page (0: never). */
    PAGE_CACHE_SECONDS: z.coerce.number().min(0).max(300).default(5),
    /**
     * Set only by the scripts that run the local capture SMTP server (no SMTP_URL given):
     * where it keeps mail, shown to administrators at /admin/mail. Unset with a real relay.
     */
    MAIL_CAPTURE_DIR: z.string().min(1).optional(),
  })
  .superRefine(requireS3Settings)
  .transform((env) => ({ ...env, SECURE_COOKIES: env.SECURE_COOKIES ?? env.NODE_ENV === 'production' }));

/** The address people open, without a trailing slash: credentials name their issuer with it. */
export function publicBaseUrl(env: WebEnv = getEnv()): string {
  return (env.PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`).replace(/\/$/, '');
}

export type WebEnv = z.infer<typeof webEnvSchema>;

const g = globalThis as typeof globalThis & { __eduWebEnv?: WebEnv };

/** Parsed once per process; a wrong value stops start-up with one line naming it. */
export function getEnv(): WebEnv {
  return (g.__eduWebEnv ??= parseEnvOrExit(webEnvSchema));
}
