import { Scripts, ScrollRestoration } from '@remix-run/react';
import { DEFERRED_SCRIPTS_ID, DEFERRED_SCRIPTS_TARGET_ID, holdDeferredScriptsScript } from './deferred-scripts.js';

// React comes anyway after this long, should the page never ask for it.
const RELEASE_AFTER_MS = 8000;

/**
 * Remix's scripts, sent in an inert <template> so that none of them is fetched before the
 * page asks (see deferred-scripts.ts). On the client React finds an empty template (parsed
 * content is not children) and a target whose content it leaves alone
 * (dangerouslySetInnerHTML is not compared when hydrating).
 */
export function DeferredScripts({ nonce }: { nonce: string }) {
  const server = typeof document === 'undefined';
  return (
    <>
      <template id={DEFERRED_SCRIPTS_ID}>
        {server ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </template>
      <div id={DEFERRED_SCRIPTS_TARGET_ID} hidden dangerouslySetInnerHTML={{ __html: '' }} suppressHydrationWarning />
      <script
        nonce={nonce}
        dangerouslySetInnerHTML={{ __html: holdDeferredScriptsScript({ templateId: DEFERRED_SCRIPTS_ID, targetId: DEFERRED_SCRIPTS_TARGET_ID, releaseAfterMs: RELEASE_AFTER_MS }) }}
        suppressHydrationWarning
      />
    </>
  );
}
