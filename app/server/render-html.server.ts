import type { ReactElement } from 'react';
// The web-streams renderer, not renderToPipeableStream: React 18.3's Node writer flushes its
// whole 2 KB buffer when a multi-byte character does not fit at the end, so Chinese pages
// got stray NUL bytes mid-text. This one encodes to bytes before buffering.
import { renderToReadableStream } from 'react-dom/server.browser';

/**
 * HTML as a byte stream; `waitForAll` for crawlers and no-JS clients that want the whole page
 * at once. `signal` stops a render still waiting for data (the client left, or the deadline
 * passed); once everything is rendered it no longer reaches React, whose abort would then try
 * to write into the finished stream (ERR_INVALID_STATE, logged after every page).
 */
export async function renderHtml(element: ReactElement, opts: { nonce?: string; signal?: AbortSignal; waitForAll?: boolean; onError?: (error: unknown) => void }) {
  const controller = new AbortController();
  const forward = () => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) forward();
  else opts.signal?.addEventListener('abort', forward, { once: true });
  const stream = await renderToReadableStream(element, { nonce: opts.nonce, signal: controller.signal, onError: opts.onError });
  const done = () => opts.signal?.removeEventListener('abort', forward);
  void stream.allReady.then(done, done);
  if (opts.waitForAll) await stream.allReady;
  return stream.pipeThrough(coalesceChunks());
}

/**
 * Joins the small pieces React writes in one pass (512-byte views) into one chunk, sent
 * once the event loop turns. The host flushes gzip after every chunk (Remix does, so
 * streamed pages arrive progressively), and each flush costs the compressor its context:
 * a 40 KB catalog page went out as 14.2 KB of gzip in pieces against 8.4 KB whole.
 */
export function coalesceChunks(): TransformStream<Uint8Array, Uint8Array> {
  let pending: Uint8Array[] = [];
  let scheduled: Promise<void> | null = null;
  const flushPending = (controller: TransformStreamDefaultController<Uint8Array>) => {
    scheduled = null;
    if (pending.length === 0) return;
    const joined = Buffer.concat(pending);
    pending = [];
    try {
      controller.enqueue(joined);
    } catch {
      // The response was cancelled (the client left) while this waited: nobody reads it.
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      pending.push(chunk);
      scheduled ??= new Promise<void>((resolve) => setImmediate(() => {
        flushPending(controller);
        resolve();
      }));
    },
    async flush(controller) {
      await scheduled;
      flushPending(controller);
    },
  });
}
