/**
 * npm run bench:startup [-- --runs 5] [-- --seconds 40] [-- --source lecture.mp4] [-- --no-build]
 *
 * Time to the first video frame on a 256 kbit/s, 300 ms link with the cache disabled, in
 * Debian's Chromium: our lesson page (the built site and worker, a generated lecture
 * uploaded by the demo teacher and transcoded by our pipeline, the demo student logged
 * in) against hls.js with its defaults on a conventional ladder of the same source, in
 * the same run, alternating. Human-readable lines first, JSON last.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../tests/support/chromium.js';
import { buildSite } from './bench-services.js';
import { round } from './cpu-load.js';
import { SOURCE_LOOK, prepareSource } from './lecture-source.js';
import { encodeConventionalLadder, serveBaseline } from './startup-baseline.js';
import { LINK, measureFirstFrame, type FirstFrame } from './startup-measure.js';
import { logIn, publishLecture, startSite } from './startup-site.js';

const TARGETS = { maxFirstFrameMs: 2500, minTimesSooner: 5 } as const;

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, seconds: { type: 'string', default: '40' }, source: { type: 'string' }, 'no-build': { type: 'boolean', default: false } },
});
const runs = Number(args.runs);
if (!(runs >= 1)) throw new Error('--runs must be at least 1');

if (!args['no-build']) {
  console.log('building the site...');
  await buildSite();
}
const source = await prepareSource({ seconds: Number(args.seconds), sourcePath: args.source });
console.log(`source ${source.path}: ${SOURCE_LOOK.width}x${SOURCE_LOOK.height}, ${source.summary.durationSeconds} s`);
const work = await mkdtemp(join(tmpdir(), 'bench-startup-'));
const site = await startSite();
let browser: Browser | undefined;
let baseline: Awaited<ReturnType<typeof serveBaseline>> | undefined;
try {
  browser = await launchChromium();
  console.log('conventional ladder (720p first, 4 s segments, 96 kbit/s audio)...');
  await encodeConventionalLadder(source.path, join(work, 'conventional'));
  baseline = await serveBaseline(join(work, 'conventional'));
  console.log('uploading the lecture as the demo teacher and waiting for our pipeline...');
  const lessonUrl = await publishLecture(browser, site, source.path);

  const ours: FirstFrame[] = [];
  const theirs: FirstFrame[] = [];
  for (let i = 0; i < runs; i++) {
    // A device that has never been here: a fresh profile, the student logged in at full speed.
    const student = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    await logIn(await student.newPage(), site.baseUrl, 'student@demo.edu.cn');
    ours.push(await measureFirstFrame(student, lessonUrl));
    await student.close();
    const visitor = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    theirs.push(await measureFirstFrame(visitor, baseline.url));
    await visitor.close();
    console.log(`run ${i + 1}: ours ${ours.at(-1)!.firstFrameMs} ms (${ours.at(-1)!.bytesBeforeFirstFrame} B), hls.js defaults ${theirs.at(-1)!.firstFrameMs} ms (${theirs.at(-1)!.bytesBeforeFirstFrame} B)`);
  }
  const oursMs = median(ours.map((r) => r.firstFrameMs));
  const baselineMs = median(theirs.map((r) => r.firstFrameMs));
  const timesSooner = round(baselineMs / oursMs, 2);
  const result = {
    bench: 'startup',
    link: LINK,
    runs,
    oursMs,
    baselineMs,
    ratio: timesSooner,
    oursBytesBeforeFirstFrame: median(ours.map((r) => r.bytesBeforeFirstFrame)),
    baselineBytesBeforeFirstFrame: median(theirs.map((r) => r.bytesBeforeFirstFrame)),
    oursRequestsBeforeFirstFrame: median(ours.map((r) => r.requestsBeforeFirstFrame)),
    oursRunsMs: ours.map((r) => r.firstFrameMs),
    baselineRunsMs: theirs.map((r) => r.firstFrameMs),
    targets: { ...TARGETS, firstFrameMet: oursMs <= TARGETS.maxFirstFrameMs, timesSoonerMet: timesSooner >= TARGETS.minTimesSooner },
  };
  console.log(`median first frame: ours ${oursMs} ms, hls.js defaults ${baselineMs} ms (${timesSooner}x sooner)`);
  console.log(JSON.stringify(result));
} finally {
  await browser?.close();
  baseline?.server.close();
  await site.stop();
  await rm(work, { recursive: true, force: true });
  await rm(site.mediaRoot, { recursive: true, force: true });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}
