import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import compression from 'compression';
import express from 'express';
import { projectRoot } from '../tests/support/env.js';
import { runFfmpeg } from './ladder-baselines.js';

/**
 * The comparison for bench:startup: a conventional HLS ladder as many sites publish it
 * (720p listed first, 4 s segments, 96 kbit/s stereo AAC, bitrate-targeted rungs on the
 * low side of common practice, so the comparison flatters the baseline rather than us) played
 * by hls.js with its default settings on a plain static page, served with gzip like ours.
 */
const CONVENTIONAL_RUNGS = [
  { name: '720p', height: 720, videoKbps: 700 },
  { name: '480p', height: 480, videoKbps: 450 },
  { name: '360p', height: 360, videoKbps: 280 },
  { name: '240p', height: 240, videoKbps: 160 },
] as const;
const SEGMENT_SECONDS = 4;
const AUDIO_KBPS = 96;

export async function encodeConventionalLadder(source: string, outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const n = CONVENTIONAL_RUNGS.length;
  const graph = [
    `[0:v]format=yuv420p,split=${n}${CONVENTIONAL_RUNGS.map((_, i) => `[s${i}]`).join('')}`,
    ...CONVENTIONAL_RUNGS.map((r, i) => `[s${i}]scale=-2:${r.height}[v${i}]`),
    `[0:a]asplit=${n}${CONVENTIONAL_RUNGS.map((_, i) => `[a${i}]`).join('')}`,
  ].join(';');
  const perRung = CONVENTIONAL_RUNGS.flatMap((r, i) => [
    '-map', `[v${i}]`, '-map', `[a${i}]`, `-b:v:${i}`, `${r.videoKbps}k`, `-maxrate:v:${i}`, `${Math.round(r.videoKbps * 1.1)}k`, `-bufsize:v:${i}`, `${r.videoKbps * 2}k`, `-b:a:${i}`, `${AUDIO_KBPS}k`,
  ]);
  await runFfmpeg([
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', source, '-filter_complex', graph, ...perRung,
    '-c:v', 'libx264', '-preset', 'veryfast', '-profile:v', 'high', '-g', '120', '-keyint_min', '120', '-sc_threshold', '0',
    '-c:a', 'aac', '-ac', '2', '-ar', '48000',
    '-f', 'hls', '-hls_time', String(SEGMENT_SECONDS), '-hls_playlist_type', 'vod', '-hls_segment_type', 'fmp4', '-hls_flags', 'independent_segments',
    '-hls_fmp4_init_filename', 'init.mp4', '-hls_segment_filename', join(outDir, '%v', 'seg_%05d.m4s'), '-master_pl_name', 'master.m3u8',
    '-var_stream_map', CONVENTIONAL_RUNGS.map((r, i) => `v:${i},a:${i},name:${r.name}`).join(' '), join(outDir, '%v', 'index.m3u8'),
  ]);
}

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hls.js defaults</title></head><body>
<video id="v" controls playsinline width="640" height="360"></video>
<script src="/hls.min.js"></script>
<script>var hls = new Hls(); hls.loadSource('/ladder/master.m3u8'); hls.attachMedia(document.getElementById('v'));</script>
</body></html>`;

/** A plain static site: the page, hls.js's own minified build and the ladder, gzip where it helps. */
export async function serveBaseline(ladderDir: string): Promise<{ url: string; server: Server }> {
  const app = express();
  app.use(compression({ filter: (req, res) => compression.filter(req, res) || /mpegurl/.test(String(res.getHeader('Content-Type'))) }));
  app.get('/', (_req, res) => void res.type('html').send(PAGE));
  app.get('/hls.min.js', (_req, res) => res.sendFile(join(projectRoot, 'node_modules/hls.js/dist/hls.min.js')));
  app.use('/ladder', express.static(ladderDir, { setHeaders: (res, path) => path.endsWith('.m3u8') && res.setHeader('Content-Type', 'application/vnd.apple.mpegurl') }));
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

