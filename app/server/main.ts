// The web process: express hosts the Remix build plus /healthz and static assets.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequestHandler } from '@remix-run/express';
import { createRequestHandler as createRemixHandler } from '@remix-run/node';
import type { ServerBuild } from '@remix-run/node';
import compression from 'compression';
import express from 'express';
import { connectServices, exitOnStartupError } from '../../workers/runtime/startup.js';
import { getEnv } from '../env.server.js';
import { closeQueues } from '../features/queues.server.js';
import { closeVideoEvents } from '../features/studio/video-events.server.js';
import { requestFilesCheck } from '../features/studio/videos.server.js';
import { closeClassroomHub } from '../features/classrooms/session-hub.server.js';
import { CLASSROOM_EVENTS_PATH, serveClassroomEvents } from './classroom-events.js';
import { CLOCK_PATH, serveClock } from './clock.js';
import { closeServices, getServices } from '../services.server.js';
import { issueCsrfCookie } from './csrf-cookie.js';
import { publicPageCache } from './page-cache.js';
import { healthz } from './healthz.js';
import { STATUS_LIST_PATH, serveStatusList } from './status-lists.js';
import { limitFormBodies } from './limits.js';
import { createUploadServer, UPLOAD_PATH } from './uploads.js';
import { RedisUploadLocker } from './upload-locker.js';
import { createUploadStore } from '../../workers/storage/upload-store.js';
import { createRedis } from '../../workers/runtime/redis.js';
import { serveSignedLive, serveSignedMedia, serveSignedSlides } from './media.js';
import { getMediaStorage } from '../features/learning/media-storage.server.js';
import { QUEUE_DASHBOARD_PATH, queueDashboard } from './queue-dashboard.js';
import { PDF_LIMITS } from '../../media/pdf-pages.js';
import { LIVE_MEDIA_PREFIX, MEDIA_PREFIX, SLIDES_PREFIX } from '../features/learning/media-urls.js';
import { rejectCrossOriginWrites, securityHeaders } from './security-headers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = getEnv();
const devServer = process.argv.includes('--dev');
const services = getServices();
await connectServices({ sql: services.sql, databaseUrl: env.DATABASE_URL, redis: services.redis, redisUrl: env.REDIS_URL }).catch(exitOnStartupError);
const { log } = services;

const vite = devServer
  ? await import('vite').then((v) => v.createServer({ server: { middlewareMode: true }, root }))
  : undefined;

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', env.TRUST_PROXY);
app.use(securityHeaders({ production: env.NODE_ENV === 'production' && env.SECURE_COOKIES, devServer }));
// Playlists and caption files are text: gzip them too (compression's list misses their types).
app.use(compression({ filter: (req, res) => compression.filter(req, res) || /mpegurl|text\/vtt/.test(String(res.getHeader('Content-Type'))) }));
app.get('/healthz', healthz);
app.get(STATUS_LIST_PATH, serveStatusList);
app.options(STATUS_LIST_PATH, serveStatusList);
app.get(CLOCK_PATH, serveClock);
app.use((req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    log.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms) }, 'request');
  });
  next();
});
app.use(rejectCrossOriginWrites());
// Uploads stream to disk in chunks, past the form-body limit below.
// The tus hooks see a web Request, not express's: express's view of the client IP (which
// honours TRUST_PROXY) travels in a header we set, overwriting any the client sent.
const lockSubscriber = createRedis(env.REDIS_URL, 'worker', { lazyConnect: false });
lockSubscriber.on('error', (error) => log.warn({ err: error.message }, 'redis upload-lock subscriber error'));
const uploadLocker = new RedisUploadLocker({ redis: services.redis, subscriber: lockSubscriber });
await uploadLocker.ready();
const uploads = createUploadServer({ store: createUploadStore(env), locker: uploadLocker, clientIp: (r) => r.headers.get('x-edu-client-ip') ?? 'unknown' });
app.all([UPLOAD_PATH, `${UPLOAD_PATH}/*`], (req, res) => {
  req.headers['x-edu-client-ip'] = req.ip ?? 'unknown';
  void uploads.handle(req, res);
});
// Lesson materials (PDF, slides) are the one multipart form allowed past 2 MB; the multipart
// framing adds well under 64 KB to the file itself.
const materialUpload = { method: 'POST' as const, path: /^\/studio\/lessons\/[0-9a-f-]{36}\/materials$/, maxMultipartBytes: env.MATERIAL_MAX_BYTES + 64 * 1024 };
// A session's slide PDF likewise (the route answers an oversized one with the limit, localised).
const slidesUpload = { method: 'POST' as const, path: /^\/classroom\/sessions\/[0-9a-f-]{36}\/slides$/, maxMultipartBytes: PDF_LIMITS.maxBytes + 64 * 1024 };
app.use(limitFormBodies(256 * 1024, 2 * 1024 * 1024, [materialUpload, slidesUpload]));

if (vite) {
  app.use(vite.middlewares);
} else {
  // Vite fingerprints everything under assets/, so it may be cached for a year.
  app.use('/assets', express.static(path.join(root, 'build/client/assets'), { immutable: true, maxAge: '1y' }));
  app.use(express.static(path.join(root, 'build/client'), { maxAge: '1h' }));
}
app.use(LIVE_MEDIA_PREFIX, serveSignedLive({ storage: getMediaStorage(), secret: env.SESSION_SECRET }));
// A validly signed request for a file that is not there: the ladder may have lost files.
const onMissingMedia = (videoId: string) => void requestFilesCheck(videoId).catch((error: Error) => getServices().log.warn({ err: error.message }, 'could not ask for a video files check'));
app.use(MEDIA_PREFIX, serveSignedMedia({ storage: getMediaStorage(), secret: env.SESSION_SECRET, onMissing: onMissingMedia }));
app.use(SLIDES_PREFIX, serveSignedSlides({ storage: getMediaStorage(), secret: env.SESSION_SECRET }));
app.use(QUEUE_DASHBOARD_PATH, ...queueDashboard());
app.use(issueCsrfCookie(env.SECURE_COOKIES));
app.get(CLASSROOM_EVENTS_PATH, serveClassroomEvents());

const build = vite
  ? () => vite.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
  : ((await import(path.join(root, 'build/server/index.js'))) as ServerBuild);

if (!vite && env.PAGE_CACHE_SECONDS > 0) {
  const render = createRemixHandler(build as ServerBuild, env.NODE_ENV);
  app.use(publicPageCache({ ttlMs: env.PAGE_CACHE_SECONDS * 1000, maxEntries: 2000, render: (request, context) => render(request, context) }));
}

app.all(
  '*',
  createRequestHandler({
    build,
    mode: env.NODE_ENV,
    getLoadContext: (req, res) => ({
      clientIp: req.ip ?? 'unknown',
      cspNonce: String(res.locals.cspNonce ?? ''),
      csrfToken: String(res.locals.csrfToken ?? ''),
    }),
  }),
);

const server = app.listen(env.PORT, env.HOST, () => {
  log.info({ url: `http://${env.HOST}:${env.PORT}` }, 'web server listening');
});
server.keepAliveTimeout = 65_000;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down: finishing in-flight requests');
  void closeVideoEvents();
  void closeClassroomHub();
  const force = setTimeout(() => server.closeAllConnections(), 10_000);
  server.close(async () => {
    clearTimeout(force);
    await vite?.close();
    await closeQueues();
    await Promise.allSettled([closeServices(), lockSubscriber.quit()]);
    log.info('web server stopped');
    process.exit(0);
  });
  // Keep-alive sockets become idle as their last response ends; close them as they do.
  server.closeIdleConnections();
  setInterval(() => server.closeIdleConnections(), 100).unref();
}
// bench:classroom measures memory per idle screen after a full collection; only a process
// started with `node --expose-gc` (never in production) has global.gc and answers SIGUSR2.
const gc = (globalThis as { gc?: () => void }).gc;
if (gc) {
  process.on('SIGUSR2', () => {
    gc();
    process.stderr.write(`edu-memory ${JSON.stringify(process.memoryUsage())}\n`);
  });
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
