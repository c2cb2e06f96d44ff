/**
 * npm run bench:transcode [-- --seconds 120] [-- --source lecture.mp4] [-- --keep]
 *
 * Encodes one lecture four ways on this machine, in this run: the worker's way (the
 * lecture split as the worker splits it, DEFAULT_CHUNK_SETTINGS, chunks encoded
 * DEFAULT_TRANSCODES_AT_ONCE at a time by transcodeLadder, then joined), transcodeLadder
 * on the whole lecture in one process, one ffmpeg process per rung, and a hand-written
 * single command. Then measures each rung of the worker's ladder: bitrate from its
 * segments and SSIM against the source. Human-readable lines first, JSON last.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { hasFilter } from '../media/ffmpeg-features.js';
import { DEFAULT_ENCODER_PRESET, transcodeLadder } from '../media/hls.js';
import { x264Params } from '../media/ladder-command.js';
import { planLadder } from '../media/ladder.js';
import { round, timePhase } from './cpu-load.js';
import { handWrittenCommand, perRungCommands, runFfmpeg } from './ladder-baselines.js';
import { SOURCE_LOOK, prepareSource } from './lecture-source.js';
import { measureLadder } from './rung-quality.js';
import { sampleRss } from './rss-sampler.js';
import { joinChunkLadders } from '../media/chunk-join.js';
import { DEFAULT_CHUNK_SETTINGS, DEFAULT_TRANSCODES_AT_ONCE, planChunks } from '../media/chunks.js';
import { TARGETS, judge } from './targets.js';
import { inPool } from '../app/features/in-pool.js';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '120' }, source: { type: 'string' }, keep: { type: 'boolean', default: false } },
});
const seconds = Number(args.seconds);
if (!(seconds >= 10)) throw new Error('--seconds must be a number of at least 10');

const loadAtStart = loadavg().map((l) => round(l, 2));
console.log(`bench:transcode on ${cpus().length} cores, load average ${loadAtStart.join(' ')}`);
const source = await prepareSource({ seconds, sourcePath: args.source });
const { summary } = source;
if (!summary.video || !summary.audio || !summary.durationSeconds) throw new Error('The benchmark needs a source with video, audio and a known duration');
const lectureSeconds = summary.durationSeconds;
console.log(`source ${source.path}: ${summary.video.width}x${summary.video.height} ${summary.video.fps} fps, ${lectureSeconds} s` +
  (source.generatedInSeconds === null ? ' (cached)' : ` (generated in ${source.generatedInSeconds} s)`));

const plan = planLadder({ width: summary.video.width, height: summary.video.height, fps: summary.video.fps, hasVideo: true, hasAudio: true });
const preset = DEFAULT_ENCODER_PRESET;
// The scaler transcodeLadder would pick on this machine; the baselines use the same one.
const scaler = (await hasFilter('ffmpeg', 'zscale')) ? 'zscale' : 'swscale';
const work = await mkdtemp(join(tmpdir(), 'bench-transcode-'));
const coreSpeedAtStart = await referenceDecodeSeconds();
console.log(`reference decode (core speed): ${coreSpeedAtStart} CPU-s`);
try {
  console.log(`hand-written single command (${preset}, ${scaler})...`);
  await mkdir(join(work, 'hand'));
  const hand = await timePhase(() => runFfmpeg(handWrittenCommand(source.path, plan, join(work, 'hand'), preset, scaler)));
  report('hand-written', hand.timing);

  console.log('transcodeLadder, whole lecture in one process...');
  const playable = { seconds: null as number | null };
  const started = performance.now();
  const ladderDir = join(work, 'ladder');
  const rss = sampleRss();
  const ours = await timePhase(() => transcodeLadder({
    input: source.path, inputDemuxer: summary.demuxer, outDir: ladderDir, plan, scaler,
    videoStreamIndex: summary.video?.index, audioStreamIndex: summary.audio?.index,
    durationSeconds: lectureSeconds, timeoutMs: lectureSeconds * 20_000,
    onPlayable: ({ whileEncoding }) => { if (whileEncoding) playable.seconds = round((performance.now() - started) / 1000, 2); },
  }));
  const memory = rss.stop();
  report('transcodeLadder', ours.timing, `first playable after ${playable.seconds ?? 'never (only at the end)'} s; ` +
    `Node RSS (ffmpeg excluded) ${memory.startMb} MB before, peak ${memory.peakMb} MB`);

  // The worker's way: the lecture split as probe-video splits it, chunks encoded
  // DEFAULT_TRANSCODES_AT_ONCE at a time (one worker's VIDEO_CONCURRENCY), then joined.
  const halves = planChunks(lectureSeconds, plan.segmentSeconds, DEFAULT_CHUNK_SETTINGS);
  console.log(`the worker's way: ${halves.length} chunk(s), ${DEFAULT_TRANSCODES_AT_ONCE} at a time, then joined...`);
  const chunkRss = sampleRss();
  // Early playback of a chunked lecture (decision 014): chunk 0 is offered while it encodes
  // (as the worker does, via onPlayable); chunk k is listed once chunks 0..k are done.
  const chunkedPlayable = { whileEncoding: null as number | null, chunkDone: [] as number[] };
  const chunked = await timePhase(async () => {
    const phaseStarted = performance.now();
    const sincePhaseStart = () => round((performance.now() - phaseStarted) / 1000, 2);
    await inPool(halves, DEFAULT_TRANSCODES_AT_ONCE, async (chunk) => {
      await transcodeLadder({
        input: source.path, inputDemuxer: summary.demuxer, outDir: join(work, 'chunks', String(chunk.index)), plan, scaler,
        videoStreamIndex: summary.video?.index, audioStreamIndex: summary.audio?.index,
        durationSeconds: chunk.expectedSeconds, timeoutMs: lectureSeconds * 20_000, clip: chunk,
        onPlayable: chunk.index === 0 ? ({ whileEncoding }) => { if (whileEncoding) chunkedPlayable.whileEncoding = sincePhaseStart(); } : undefined,
      });
      chunkedPlayable.chunkDone[chunk.index] = sincePhaseStart();
    });
    const joinStarted = performance.now();
    await joinChunkLadders({ chunks: halves.map((c) => ({ dir: join(work, 'chunks', String(c.index)), startSeconds: c.startSeconds })), rungs: [...plan.video.map((r) => r.name), 'audio'], outDir: join(work, 'chunked') });
    return round((performance.now() - joinStarted) / 1000, 2);
  });
  const chunkMemory = chunkRss.stop();
  const chunkedFirstPlayable = chunkedPlayable.whileEncoding ?? chunkedPlayable.chunkDone[0] ?? null;
  // Chunk k joins the published playlists when it and every chunk before it are done.
  const chunkListed = chunkedPlayable.chunkDone.map((_, k) => Math.max(...chunkedPlayable.chunkDone.slice(0, k + 1)));
  report('worker\'s way', chunked.timing, `join ${chunked.result} s; ${round(ours.timing.wallSeconds / chunked.timing.wallSeconds, 2)}x the single process's speed; Node RSS peak ${chunkMemory.peakMb} MB; ` +
    `first playable after ${chunkedFirstPlayable} s (without early playback: ${chunked.timing.wallSeconds} s), chunks listed after ${chunkListed.join(', ')} s`);

  console.log('one process per rung...');
  const perRungDir = join(work, 'per-rung');
  const processes: { rung: string; wallSeconds: number }[] = [];
  const perRung = await timePhase(async () => {
    for (const command of perRungCommands(source.path, plan, perRungDir, preset, scaler)) {
      const rungDir = dirname(command.at(-1)!);
      await mkdir(rungDir, { recursive: true });
      const processStarted = performance.now();
      await runFfmpeg(command);
      processes.push({ rung: basename(rungDir), wallSeconds: round((performance.now() - processStarted) / 1000, 2) });
    }
  });
  report('per rung', perRung.timing, processes.map((p) => `${p.rung} ${p.wallSeconds} s`).join(', '));
  // A first fast pass of the start rung alone would be one of these processes, on top of the full ladder.
  const fastPassSeconds = processes.find((p) => p.rung === plan.startRungName)?.wallSeconds ?? null;

  console.log('measuring bitrate and SSIM of every rung...');
  const scratch = join(work, 'joined');
  await mkdir(scratch);
  // The ladder students get: the worker's (joined, unless the lecture was too short to split).
  const workerLadder = halves.length > 1 ? join(work, 'chunked') : join(work, 'chunks', '0');
  const rungs = await measureLadder(workerLadder, plan, source.path, scratch);
  for (const r of rungs) {
    console.log(`  ${r.name.padEnd(5)} ${String(r.averageKbps).padStart(6)} kbit/s avg, ${String(r.peakSegmentKbps).padStart(6)} peak (declared ${r.declaredKbps}), SSIM ${r.ssim} (Y ${r.ssimY})`);
  }

  const verdict = judge({
    lectureSeconds, ladderWall: chunked.timing.wallSeconds, perRungWall: perRung.timing.wallSeconds,
    handWrittenWall: hand.timing.wallSeconds, firstPlayableSeconds: chunkedFirstPlayable,
  }, rungs);
  const onePathVerdict = judge({
    lectureSeconds, ladderWall: ours.timing.wallSeconds, perRungWall: perRung.timing.wallSeconds,
    handWrittenWall: hand.timing.wallSeconds, firstPlayableSeconds: playable.seconds,
  }, rungs);
  const sourceBytes = (await stat(source.path)).size;
  const coreSpeedAtEnd = await referenceDecodeSeconds();
  console.log(`reference decode (core speed): ${coreSpeedAtEnd} CPU-s`);
  console.log(JSON.stringify({
    bench: 'transcode',
    date: new Date().toISOString(),
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, ffmpeg: ffmpegVersion(), loadAverageAtStart: loadAtStart,
      referenceDecodeCpuSeconds: {
        definition: 'CPU time to decode the first 20 s of the source on one thread, before and after the encodes: how fast the cores were in this run (the VM\'s cores change speed with the host\'s load, with no steal time reported; the same decode took 0.55x-1x of its slowest time on one day)',
        atStart: coreSpeedAtStart, atEnd: coreSpeedAtEnd,
      },
    },
    source: {
      path: source.path, generated: !args.source, look: args.source ? null : SOURCE_LOOK, seconds: lectureSeconds,
      width: summary.video.width, height: summary.video.height, fps: summary.video.fps,
      totalKbps: Math.round((sourceBytes * 8) / lectureSeconds / 1000),
    },
    settings: {
      preset, tune: 'stillimage', x264Params: x264Params(preset), scaler, segmentSeconds: plan.segmentSeconds,
      rungs: plan.video.map(({ name, width, height, fps, crf, videoMaxKbps, bufsizeKbits, audioKbps }) => ({ name, width, height, fps, crf, videoMaxKbps, bufsizeKbits, audioKbps })),
      audioOnlyKbps: plan.audio?.audioKbps ?? null,
    },
    speed: {
      transcodeLadder: { ...ours.timing, xRealtime: round(lectureSeconds / ours.timing.wallSeconds, 2) },
      perRungProcesses: { ...perRung.timing, xRealtime: round(lectureSeconds / perRung.timing.wallSeconds, 2), processes },
      handWrittenCommand: { ...hand.timing, xRealtime: round(lectureSeconds / hand.timing.wallSeconds, 2) },
      workersWay: {
        definition: `the lecture split by planChunks(DEFAULT_CHUNK_SETTINGS), chunks encoded ${DEFAULT_TRANSCODES_AT_ONCE} at a time (one worker's default VIDEO_CONCURRENCY), then joined; the targets are judged on this`,
        ...chunked.timing, xRealtime: round(lectureSeconds / chunked.timing.wallSeconds, 2), joinSeconds: chunked.result,
        chunks: halves.length, atOnce: DEFAULT_TRANSCODES_AT_ONCE, speedupOverOneProcess: round(ours.timing.wallSeconds / chunked.timing.wallSeconds, 2),
        firstPlayable: {
          definition: 'chunk 0 playable while it encodes (every rung lists a segment), as the worker publishes it; baseline: the joined ladder, the only playable moment before early playback',
          seconds: chunkedFirstPlayable,
          share: chunkedFirstPlayable === null ? null : round(chunkedFirstPlayable / lectureSeconds, 3),
          withinTarget: chunkedFirstPlayable !== null && chunkedFirstPlayable / lectureSeconds <= TARGETS.maxFirstPlayableShare,
          chunkListedSeconds: chunkListed,
          withoutEarlyPlaybackSeconds: chunked.timing.wallSeconds,
          note: 'encoder side only, like firstPlayable.seconds: the upload to the media storage and the database update come on top',
        },
      },
    },
    workerMemory: {
      definition: 'VmRSS of the Node process running transcodeLadder (the worker-side code path), sampled every 100 ms; ffmpeg children excluded',
      transcodeLadder: memory,
      workersWay: chunkMemory,
      targetMb: TARGETS.maxWorkerMb,
      pass: memory.peakMb < TARGETS.maxWorkerMb && chunkMemory.peakMb < TARGETS.maxWorkerMb,
    },
    firstPlayable: {
      definition: 'master.m3u8 and every rung playlist (start rung and audio-only included) list at least one 4 s segment, at their final URLs',
      seconds: playable.seconds,
      fastPassAlternativeAddsSeconds: fastPassSeconds,
    },
    rungs,
    targets: TARGETS,
    wholeLectureInOneProcess: onePathVerdict,
    ...verdict,
  }));
} finally {
  if (args.keep) console.error(`kept outputs in ${work}`);
  else await rm(work, { recursive: true, force: true });
}

function report(label: string, timing: { wallSeconds: number; cpuSeconds: number; othersCores: number }, extra = ''): void {
  const factor = round(lectureSeconds / timing.wallSeconds, 2);
  console.log(`  ${label}: ${timing.wallSeconds} s wall, ${factor}x real time, ${timing.cpuSeconds} CPU-s, other processes ${timing.othersCores} cores${extra ? `; ${extra}` : ''}`);
}

/** A fixed amount of CPU work: decoding the first 20 s of the source on one thread. */
async function referenceDecodeSeconds(): Promise<number> {
  const { timing } = await timePhase(() => runFfmpeg(['-hide_banner', '-nostdin', '-loglevel', 'error', '-threads', '1', '-t', '20', '-i', source.path, '-an', '-f', 'null', '-']));
  return timing.cpuSeconds;
}

function ffmpegVersion(): string {
  return execFileSync('ffmpeg', ['-version'], { encoding: 'utf8' }).split('\n')[0]!.replace(/^ffmpeg version /, '').split(' ')[0]!;
}
