import type { AppLoadContext, EntryContext } from '@remix-run/node';
import { RemixServer } from '@remix-run/react';
import { isbot } from 'isbot';
import { NonceContext } from './components/nonce.js';
import { renderHtml } from './server/render-html.server.js';

const ABORT_DELAY = 5_000;

function hydratesAfterFirstFrame(context: EntryContext): boolean {
  return context.staticHandlerContext.matches.some((m) => (context.routeModules[m.route.id]?.handle as { hydrate?: unknown } | undefined)?.hydrate === 'after-first-frame');
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  let status = responseStatusCode;
  const body = await renderHtml(
    <NonceContext.Provider value={loadContext.cspNonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={loadContext.cspNonce} />
    </NonceContext.Provider>,
    {
      nonce: loadContext.cspNonce,
      signal: AbortSignal.any([request.signal, AbortSignal.timeout(ABORT_DELAY + 1_000)]),
      // Crawlers and no-JS clients get the whole document at once; browsers get it streamed,
      // except pages whose scripts wait in a template (DeferredScripts): streamed chunks
      // would run before the scripts they feed.
      waitForAll: isbot(request.headers.get('user-agent') ?? '') || hydratesAfterFirstFrame(remixContext),
      onError(error) {
        status = 500;
        console.error(error);
      },
    },
  );
  responseHeaders.set('Content-Type', 'text/html; charset=utf-8');
  return new Response(body, { headers: responseHeaders, status });
}
