import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { VIDEO_EVENTS_CHANNEL, type VideoEvent } from '../../../workers/video-jobs.js';
import { getEnv } from '../../env.server.js';
import { getServices } from '../../services.server.js';
import { createRedis } from '../../../workers/runtime/redis.js';

// One Redis subscription per web process, fanned out in memory to every open
// progress stream: a hundred teachers watching cost one connection, not a hundred.
const g = globalThis as typeof globalThis & { __eduVideoEvents?: { emitter: EventEmitter; subscriber: Redis } };

function videoEvents(): EventEmitter {
  if (!g.__eduVideoEvents) {
    const emitter = new EventEmitter().setMaxListeners(0);
    const subscriber = createRedis(getEnv().REDIS_URL, 'worker', { lazyConnect: false });
    subscriber.on('error', (e) => getServices().log.warn({ err: e.message }, 'video events subscriber error'));
    subscriber.on('message', (_channel, message) => {
      try {
        const event = JSON.parse(message) as VideoEvent;
        emitter.emit(event.lessonId, event);
      } catch {
        /* not ours */
      }
    });
    void subscriber.subscribe(VIDEO_EVENTS_CHANNEL);
    g.__eduVideoEvents = { emitter, subscriber };
  }
  return g.__eduVideoEvents.emitter;
}

/** A text/event-stream of one lesson's video events, until the browser goes away. */
export function lessonEventStream(lessonId: string, signal: AbortSignal): Response {
  const emitter = videoEvents();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: VideoEvent) => controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`));
      // A comment every 15 s keeps proxies and school firewalls from closing an idle stream.
      const keepAlive = setInterval(() => controller.enqueue(encoder.encode(': keep-alive\n\n')), 15_000);
      controller.enqueue(encoder.encode('retry: 3000\n\n'));
      const end = () => {
        clearInterval(keepAlive);
        emitter.off(lessonId, send);
        emitter.off(SHUTDOWN, end);
        controller.close();
      };
      emitter.on(lessonId, send);
      emitter.once(SHUTDOWN, end); // the browser's EventSource reconnects to another node
      signal.addEventListener('abort', end, { once: true });
    },
  });
  return new Response(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive' },
  });
}

const SHUTDOWN = Symbol('shutdown');

/** Ends every open stream (so a graceful stop is not held up by them) and the subscription. */
export async function closeVideoEvents(): Promise<void> {
  const events = g.__eduVideoEvents;
  g.__eduVideoEvents = undefined;
  if (!events) return;
  events.emitter.emit(SHUTDOWN);
  await events.subscriber.quit().catch(() => {});
}
