// The baseline of bench:pages: the same HTML as the site served, as files, by plain Node
// (node:http + fs, gzipped on the fly as express's compression does for the site).
// Environment: STATIC_PORT, STATIC_MAP (a JSON file mapping "path?query" to an HTML file).
import { createReadStream, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createGzip } from 'node:zlib';

const port = Number(process.env.STATIC_PORT);
const files = new Map(Object.entries(JSON.parse(readFileSync(process.env.STATIC_MAP!, 'utf8')) as Record<string, string>));

const server = createServer((req, res) => {
  const file = files.get(req.url ?? '');
  if (!file) {
    res.writeHead(404).end();
    return;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', Vary: 'Accept-Encoding', ...(gzip ? { 'Content-Encoding': 'gzip' } : {}) });
  const stream = createReadStream(file);
  (gzip ? stream.pipe(createGzip()) : stream).pipe(res);
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => console.log(`static baseline listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
