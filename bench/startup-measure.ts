import type { BrowserContext, CDPSession } from 'playwright-core';

/** The link of a rural classroom: 256 kbit/s each way, 300 ms round trip, nothing cached. */
export const LINK = { downKbps: 256, upKbps: 256, rttMs: 300 } as const;

export interface FirstFrame {
  /** From navigation start to the first video frame handed to the compositor (requestVideoFrameCallback). */
  firstFrameMs: number;
  /** Response bytes (headers and body, as sent) of every request that completed before that frame. */
  bytesBeforeFirstFrame: number;
  requestsBeforeFirstFrame: number;
}

// Runs in the page before any of its scripts: hooks every <video> the page gets, as soon
// as it exists, and presses play (muted, so no autoplay policy stands in the way) once it
// has a source with metadata (an earlier play() would be undone when the player sets its
// source), as a student who taps play the moment the player can play would.
const FIRST_FRAME_PROBE = `(() => {
  const hook = (v) => {
    if (v.dataset.benchHooked) return;
    v.dataset.benchHooked = '1';
    v.muted = true;
    v.requestVideoFrameCallback((now) => { if (!window.__benchFirstFrame) window.__benchFirstFrame = now; });
    v.addEventListener('loadedmetadata', () => v.paused && v.play().catch(() => {}));
  };
  new MutationObserver(() => document.querySelectorAll('video').forEach(hook)).observe(document, { childList: true, subtree: true });
})();`;

/** Puts a page on the rural link (LINK) through the DevTools protocol. */
export async function emulateLink(cdp: CDPSession): Promise<void> {
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: LINK.rttMs,
    downloadThroughput: (LINK.downKbps * 1000) / 8,
    uploadThroughput: (LINK.upKbps * 1000) / 8,
  });
}

export async function measureFirstFrame(context: BrowserContext, url: string, timeoutMs = 120_000): Promise<FirstFrame> {
  const page = await context.newPage();
  await page.addInitScript(FIRST_FRAME_PROBE);
  const cdp = await context.newCDPSession(page);
  await emulateLink(cdp);
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  try {
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as { __benchFirstFrame?: number }).__benchFirstFrame, undefined, { timeout: timeoutMs, polling: 100 });
    return await page.evaluate(() => {
      const firstFrameMs = (window as unknown as { __benchFirstFrame: number }).__benchFirstFrame;
      const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')] as PerformanceResourceTiming[];
      const done = entries.filter((e) => e.responseEnd > 0 && e.responseEnd <= firstFrameMs);
      return { firstFrameMs: Math.round(firstFrameMs), bytesBeforeFirstFrame: done.reduce((sum, e) => sum + e.transferSize, 0), requestsBeforeFirstFrame: done.length };
    });
  } finally {
    await page.close();
  }
}
