/**
 * Reads ffmpeg's `-progress pipe:1` output: blocks of key=value lines, each block ending
 * with `progress=continue` or `progress=end`. Values are `N/A` until ffmpeg knows them.
 */
export interface TranscodeProgress {
  outTimeSeconds: number | null;
  /** 0-100; null while the total duration is unknown, 100 once ffmpeg has finished. */
  percent: number | null;
  /** Multiple of real time (1.5 = 1.5x), null when ffmpeg reports N/A. */
  speed: number | null;
  done: boolean;
}

export function parseProgressBlock(fields: ReadonlyMap<string, string>, durationSeconds: number | null): TranscodeProgress {
  const outTimeSeconds = readOutTime(fields);
  const done = fields.get('progress') === 'end';
  return {
    outTimeSeconds,
    percent: computePercent(outTimeSeconds, durationSeconds, done),
    speed: readSpeed(fields.get('speed')),
    done,
  };
}

/**
 * Feeds raw stdout chunks (split anywhere, even mid-line) and calls onProgress once per
 * complete block.
 */
export function createProgressReader(options: {
  durationSeconds: number | null;
  onProgress: (progress: TranscodeProgress) => void;
}) {
  let pending = '';
  let fields = new Map<string, string>();

  const acceptLine = (line: string) => {
    const separator = line.indexOf('=');
    if (separator <= 0) return;
    const key = line.slice(0, separator).trim();
    const value = line.slice(separator + 1).trim();
    fields.set(key, value);
    if (key === 'progress') {
      options.onProgress(parseProgressBlock(fields, options.durationSeconds));
      fields = new Map();
    }
  };

  return {
    push(chunk: string) {
      const lines = (pending + chunk).split(/\r?\n/);
      pending = lines.pop() ?? '';
      lines.forEach(acceptLine);
    },
    end() {
      if (pending) acceptLine(pending);
      pending = '';
    },
  };
}

function readOutTime(fields: ReadonlyMap<string, string>): number | null {
  // out_time_ms is microseconds too (a long-standing ffmpeg naming bug), so both divide by 1e6.
  for (const key of ['out_time_us', 'out_time_ms']) {
    const micros = parseFiniteNumber(fields.get(key));
    if (micros !== null) return Math.max(0, micros / 1_000_000);
  }
  return parseClockTime(fields.get('out_time'));
}

function parseClockTime(value: string | undefined): number | null {
  const match = value?.match(/^(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/);
  if (!match) return null;
  const [, sign, hours, minutes, seconds] = match;
  if (sign) return 0;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds);
}

function readSpeed(value: string | undefined): number | null {
  return parseFiniteNumber(value?.replace(/x$/, '').trim());
}

function parseFiniteNumber(value: string | undefined): number | null {
  if (value === undefined || value === '' || value === 'N/A') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}

function computePercent(outTime: number | null, duration: number | null, done: boolean): number | null {
  if (done) return 100;
  if (outTime === null || duration === null || !(duration > 0)) return null;
  // Never report 100 before ffmpeg says `end`: the muxer still writes playlists after the last frame.
  return Math.min(99.9, Math.round((outTime / duration) * 1000) / 10);
}
