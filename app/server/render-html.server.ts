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
  return stream;
}
