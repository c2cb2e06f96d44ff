import type { ReactElement } from 'react';
// The web-streams renderer, not renderToPipeableStream: React 18.3's Node writer flushes its
// whole 2 KB buffer when a multi-byte character does not fit at the end, so Chinese pages
// got stray NUL bytes mid-text. This one encodes to bytes before buffering.
import { renderToReadableStream } from 'react-dom/server.browser';

/** HTML as a byte stream; `waitForAll` for crawlers and no-JS clients that want the whole page at once. */
export async function renderHtml(element: ReactElement, opts: { nonce?: string; signal?: AbortSignal; waitForAll?: boolean; onError?: (error: unknown) => void }) {
  const stream = await renderToReadableStream(element, { nonce: opts.nonce, signal: opts.signal, onError: opts.onError });
  if (opts.waitForAll) await stream.allReady;
  return stream;
}
