import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { getServices } from '../../services.server.js';
import { sessionChannel, type SessionMessage } from './session-events.server.js';

// One Redis subscriber per web process (a duplicate of the shared connection, since a
// subscribed connection can do nothing else), subscribed to each session that has at
// least one open stream here, and fanned out in memory: a thousand screens on this
// process cost one connection and one subscription per session.
type Hub = { subscriber: Redis; emitter: EventEmitter; watchers: Map<string, number> };
const g = globalThis as typeof globalThis & { __eduClassroomHub?: Hub };

const RESYNC = 'resync';
const SHUTDOWN = 'shutdown';

function hub(): Hub {
  if (g.__eduClassroomHub) return g.__eduClassroomHub;
  const { redis, log } = getServices();
  const subscriber = redis.duplicate({ lazyConnect: false, enableOfflineQueue: true, maxRetriesPerRequest: null });
  const emitter = new EventEmitter().setMaxListeners(0);
  let connectedOnce = false;
  subscriber.on('error', (e: Error) => log.warn({ err: e.message }, 'classroom subscriber error'));
  // After a lost connection ioredis subscribes again, but what was published meanwhile is
  // gone: every stream then catches up from the durable log.
  subscriber.on('ready', () => {
    if (connectedOnce) emitter.emit(RESYNC);
    connectedOnce = true;
  });
  subscriber.on('message', (channel: string, text: string) => {
    try {
      emitter.emit(channel, JSON.parse(text) as SessionMessage);
    } catch {
      /* not ours */
    }
  });
  g.__eduClassroomHub = { subscriber, emitter, watchers: new Map() };
  return g.__eduClassroomHub;
}

export type Watch = { unwatch: () => void };

/** Calls `onMessage` for each message of the session, once the subscription is in place. */
export async function watchSession(sessionId: string, handlers: { onMessage: (m: SessionMessage) => void; onResync: () => void; onShutdown: () => void }): Promise<Watch> {
  const h = hub();
  const channel = sessionChannel(sessionId);
  const count = h.watchers.get(channel) ?? 0;
  h.watchers.set(channel, count + 1);
  h.emitter.on(channel, handlers.onMessage);
  h.emitter.on(RESYNC, handlers.onResync);
  h.emitter.on(SHUTDOWN, handlers.onShutdown);
  if (count === 0) await h.subscriber.subscribe(channel);
  let done = false;
  return {
    unwatch: () => {
      if (done) return;
      done = true;
      h.emitter.off(channel, handlers.onMessage);
      h.emitter.off(RESYNC, handlers.onResync);
      h.emitter.off(SHUTDOWN, handlers.onShutdown);
      const left = (h.watchers.get(channel) ?? 1) - 1;
      if (left > 0) h.watchers.set(channel, left);
      else {
        h.watchers.delete(channel);
        void h.subscriber.unsubscribe(channel).catch(() => {});
      }
    },
  };
}

/** Ends every open classroom stream (screens reconnect to another process) and the subscriber. */
export async function closeClassroomHub(): Promise<void> {
  const h = g.__eduClassroomHub;
  g.__eduClassroomHub = undefined;
  if (!h) return;
  h.emitter.emit(SHUTDOWN);
  await h.subscriber.quit().catch(() => {});
}
