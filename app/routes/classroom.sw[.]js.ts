import { cacheKeyOf, PREFETCH_CACHE } from '../features/classrooms/prefetch.js';

// The classroom screen's service worker (decision 023), a few hundred bytes: lesson video
// and slide pages a screen prepared are answered from the Cache API, by a key without the
// URL's expiry and signature; everything else goes to the network untouched.
const source = `'use strict';
const CACHE = ${JSON.stringify(PREFETCH_CACHE)};
const cacheKeyOf = ${cacheKeyOf.toString()};
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const key = request.method === 'GET' && !request.headers.has('range') ? cacheKeyOf(request.url) : null;
  if (!key) return;
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(key)).then((hit) => hit || fetch(request)));
});
`;

export function loader() {
  return new Response(source, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'Service-Worker-Allowed': '/classroom/' } });
}
