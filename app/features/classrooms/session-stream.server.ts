import { eventsAfter, MAX_REPLAY, type SessionMessage } from './session-events.server.js';
import { watchSession } from './session-hub.server.js';

// Server-Sent Events: `id:` is the session's sequence number, so a browser's EventSource
// sends it back as Last-Event-ID when it reconnects (our client passes it as ?since=
// when it reconnects by itself with backoff) and gets exactly what it missed.
export const HEARTBEAT_MS = 15_000;

const heartbeats = new Set<() => void>();
let heartbeatTimer: ReturnType<typeof setInterval> | undefined;

/** One timer per process beats for every stream: idle screens should cost almost nothing. */
function beat(send: () => void): () => void {
  heartbeats.add(send);
  heartbeatTimer ??= setInterval(() => heartbeats.forEach((f) => f()), HEARTBEAT_MS);
  heartbeatTimer.unref?.();
  return () => {
    heartbeats.delete(send);
    if (heartbeats.size === 0 && heartbeatTimer) {
      clearInterval(heartbeatTimer);
      heartbeatTimer = undefined;
    }
  };
}

export type StreamOptions = {
  sessionId: string;
  /** The last seq the screen has (Last-Event-ID), or null for a first connection. */
  since: number | null;
  /** The teacher sees everything; a screen its classroom's messages and everyone's. */
  audience: { kind: 'teacher' } | { kind: 'screen'; classroomId: string };
  signal: AbortSignal;
  /** The current state as one `snapshot` message carrying the seq it reflects. */
  snapshot: () => Promise<{ seq: number; payload: Record<string, unknown> }>;
  lastSeq: number;
  onClose?: () => void;
};

const encoder = new TextEncoder();

// The hub hands every stream of a process the same message object: encode it once, not once per screen.
const frames = new WeakMap<SessionMessage, Uint8Array>();

function frame(m: SessionMessage): Uint8Array {
  let bytes = frames.get(m);
  if (!bytes) {
    bytes = encoder.encode(`${m.seq !== null ? `id: ${m.seq}\n` : ''}event: ${m.kind}\ndata: ${JSON.stringify(m.payload)}\n\n`);
    frames.set(m, bytes);
  }
  return bytes;
}

/** Where a stream's bytes go: the express host's response (app/server/classroom-events.ts). */
export type EventSink = { write: (bytes: Uint8Array) => void; close: () => void };

export const EVENT_STREAM_HEADERS = { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', 'X-Accel-Buffering': 'no' } as const;

/**
 * Sends the session's events to `sink` until `o.signal` aborts or the process shuts down;
 * the returned function stops it when the sink's reader goes away.
 */
export async function openSessionEvents(o: StreamOptions, sink: EventSink): Promise<() => void> {
  let lastSent = -1;
  let ready = false;
  let closed = false;
  const early: SessionMessage[] = [];
  let chain = Promise.resolve();
  let cleanup = () => {};

  const write = (m: SessionMessage) => {
    if (m.seq !== null) lastSent = Math.max(lastSent, m.seq);
    if (m.audience && o.audience.kind === 'screen' && m.audience !== o.audience.classroomId) return;
    if (!closed) sink.write(frame(m));
  };
  const catchUp = () => {
    chain = chain.then(async () => {
      if (closed) return;
      for (const m of await eventsAfter(o.sessionId, lastSent)) if (m.seq! > lastSent) write(m);
    });
  };
  const deliver = (m: SessionMessage) => {
    if (!ready) return void early.push(m);
    if (m.seq === null) return write(m);
    if (m.seq <= lastSent) return;
    if (m.seq === lastSent + 1) return write(m);
    catchUp(); // out of order (two processes published) or a gap: the log has it all
  };
  const stop = () => {
    if (closed) return false;
    closed = true;
    cleanup();
    o.onClose?.();
    return true;
  };
  const end = () => {
    if (stop()) sink.close();
  };
  const watch = await watchSession(o.sessionId, { onMessage: deliver, onResync: catchUp, onShutdown: end });
  const stopBeat = beat(() => !closed && sink.write(encoder.encode(`event: ping\ndata: ${Date.now()}\n\n`)));
  cleanup = () => {
    watch.unwatch();
    stopBeat();
  };
  o.signal.addEventListener('abort', end, { once: true });
  if (o.signal.aborted) end();
  sink.write(encoder.encode('retry: 2000\n\n'));
  if (o.since !== null && o.since <= o.lastSeq && o.lastSeq - o.since <= MAX_REPLAY) {
    lastSent = o.since;
    for (const m of await eventsAfter(o.sessionId, o.since)) write(m);
  } else {
    const snap = await o.snapshot();
    write({ seq: snap.seq, kind: 'snapshot', payload: snap.payload });
  }
  ready = true;
  for (const m of early.splice(0)) deliver(m);
  return () => void stop();
}
