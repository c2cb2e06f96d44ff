// Bytes a first visit transfers, measured by a real browser (Debian's Chromium): every
// response's encoded length (headers + compressed body) from the DevTools protocol, by
// kind. Images and media (video segments, playlists) are excluded from the budget and
// reported beside it; everything else (HTML, CSS, JS, route manifest fetches) counts.
import type { Browser } from 'playwright-core';

export type PageBytes = {
  url: string;
  status: number;
  /** Budgeted total: html + css + js + other. */
  total: number;
  html: number;
  css: number;
  js: number;
  other: number;
  excluded: { images: number; media: number };
  requests: number;
  /** The five largest budgeted responses: where the bytes go. */
  largest: { path: string; bytes: number; encoding: string }[];
  encodings: string[];
};

export async function measureFirstVisit(browser: Browser, url: string, cookies: { name: string; value: string }[] = []): Promise<PageBytes> {
  // A new context has an empty cache: a first visit.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  if (cookies.length) await context.addCookies(cookies.map((c) => ({ ...c, url })));
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // The budget is stated for gzip, as the slow-link target assumes; Chromium would
  // otherwise be offered brotli by the compression middleware.
  await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'gzip' } });
  const kinds = new Map<string, { type: string; url: string; encoding: string }>();
  const figures: PageBytes = { url, status: 0, total: 0, html: 0, css: 0, js: 0, other: 0, excluded: { images: 0, media: 0 }, requests: 0, largest: [], encodings: [] };
  const budgeted: PageBytes['largest'] = [];
  const encodings = new Set<string>();
  cdp.on('Network.responseReceived', (e) => {
    const encoding = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1] ?? 'identity';
    kinds.set(e.requestId, { type: e.type, url: e.response.url, encoding: String(encoding) });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const kind = kinds.get(e.requestId);
    if (!kind) return;
    const bytes = e.encodedDataLength;
    figures.requests++;
    const { pathname } = new URL(kind.url);
    if (kind.type === 'Image' || /^\/favicon\.(ico|svg|png)$/.test(pathname)) return void (figures.excluded.images += bytes);
    if (kind.type === 'Media' || pathname.startsWith('/media/')) return void (figures.excluded.media += bytes);
    encodings.add(kind.encoding);
    budgeted.push({ path: pathname, bytes, encoding: kind.encoding });
    if (kind.type === 'Document') figures.html += bytes;
    else if (kind.type === 'Stylesheet') figures.css += bytes;
    else if (kind.type === 'Script') figures.js += bytes;
    else figures.other += bytes;
  });
  const response = await page.goto(url, { waitUntil: 'networkidle' });
  figures.status = response?.status() ?? 0;
  // Lazy chunks (the player) load after hydration: give them a moment past network idle.
  await page.waitForTimeout(1_000);
  await context.close();
  figures.total = figures.html + figures.css + figures.js + figures.other;
  figures.encodings = [...encodings];
  figures.largest = budgeted.sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  return figures;
}
