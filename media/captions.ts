/**
 * Caption files teachers upload (WebVTT, or SubRip from most subtitle tools), checked and
 * rewritten as one normalised WebVTT. A problem names the FIRST bad line so the teacher
 * can open the file and fix exactly that line.
 */
export interface CaptionCue {
  /** WebVTT cue identifier; SubRip's running numbers are dropped. */
  id: string | null;
  startSeconds: number;
  endSeconds: number;
  /** WebVTT cue settings such as `line:0 align:start`, kept verbatim. */
  settings: string;
  text: string;
}

export interface CaptionProblem {
  /** 1-based line number in the uploaded file. */
  line: number;
  reason: string;
}

export type CaptionResult =
  | { ok: true; cues: CaptionCue[]; vtt: string }
  | { ok: false; problem: CaptionProblem };

interface Block {
  firstLine: number;
  lines: string[];
}

const VTT_TIMESTAMP = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const SRT_TIMESTAMP = /^(\d+):([0-5]\d):([0-5]\d)[,.](\d{3})$/;
const TIMING_LINE = /^(\S+)[ \t]+-->[ \t]+(\S+)(?:[ \t]+(.*))?$/;

export function parseWebVtt(text: string): CaptionResult {
  const [header, ...blocks] = splitBlocks(text);
  if (!header || !/^WEBVTT(?:[ \t].*)?$/.test(header.lines[0] ?? '')) {
    return fail(1, 'The file must start with a line reading WEBVTT. If it is a SubRip (.srt) file, upload it as .srt.');
  }
  const timingInHeader = header.lines.findIndex((line) => line.includes('-->'));
  if (timingInHeader >= 0) return fail(header.firstLine + timingInHeader, 'Leave a blank line between the WEBVTT header and the first cue.');

  const cues: CaptionCue[] = [];
  const preamble: string[] = [];
  for (const block of blocks) {
    const first = block.lines[0] ?? '';
    if (/^NOTE(?:[ \t]|$)/.test(first)) continue;
    if (/^(?:STYLE|REGION)[ \t]*$/.test(first)) {
      if (cues.length > 0) return fail(block.firstLine, `Move the ${first.trim()} block above the first cue.`);
      preamble.push(block.lines.join('\n'));
      continue;
    }
    const hasId = !first.includes('-->');
    const result = parseCue(block, hasId ? 1 : 0, VTT_TIMESTAMP, cues.at(-1));
    if ('problem' in result) return { ok: false, problem: result.problem };
    cues.push({ ...result.cue, id: hasId ? first : null });
  }
  return finish(cues, preamble);
}

export function srtToWebVtt(text: string): CaptionResult {
  const cues: CaptionCue[] = [];
  for (const block of splitBlocks(text)) {
    const timingAt = /^\d+$/.test(block.lines[0]?.trim() ?? '') ? 1 : 0;
    const result = parseCue(block, timingAt, SRT_TIMESTAMP, cues.at(-1));
    if ('problem' in result) return { ok: false, problem: result.problem };
    // SubRip positions (X1:..) have no WebVTT meaning; its <font> and {\an8} tags are not WebVTT.
    cues.push({ ...result.cue, settings: '', text: srtTextToVtt(result.cue.text) });
  }
  return finish(cues, []);
}

export function formatWebVtt(cues: readonly CaptionCue[], preamble: readonly string[] = []): string {
  const cueBlocks = cues.map((cue) => {
    const timing = `${formatVttTimestamp(cue.startSeconds)} --> ${formatVttTimestamp(cue.endSeconds)}`;
    return [...(cue.id ? [cue.id] : []), cue.settings ? `${timing} ${cue.settings}` : timing, cue.text].join('\n');
  });
  return ['WEBVTT', ...preamble, ...cueBlocks].join('\n\n') + '\n';
}

export function formatVttTimestamp(seconds: number): string {
  const totalMs = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor(totalMs / 60_000) % 60;
  const secs = Math.floor(totalMs / 1000) % 60;
  return `${pad(hours)}:${pad(minutes)}:${pad(secs)}.${pad(totalMs % 1000, 3)}`;
}

type CueParse = { cue: CaptionCue } | { problem: CaptionProblem };

function parseCue(block: Block, timingAt: number, timestamp: RegExp, previous: CaptionCue | undefined): CueParse {
  const lineNumber = block.firstLine + timingAt;
  const timingLine = block.lines[timingAt];
  const timing = timingLine?.match(TIMING_LINE);
  if (!timingLine || !timing) {
    return problem(timingLine ? lineNumber : block.firstLine, 'Expected a cue timing line such as 00:00:01.000 --> 00:00:04.000.');
  }
  const [, startText = '', endText = '', settings = ''] = timing;
  const start = parseTimestamp(startText, timestamp);
  const end = parseTimestamp(endText, timestamp);
  const badText = start === null ? startText : end === null ? endText : null;
  if (start === null || end === null) {
    return problem(lineNumber, `"${badText}" is not a valid time; write hours:minutes:seconds${timestamp === SRT_TIMESTAMP ? ',' : '.'}milliseconds, e.g. 00:01:02${timestamp === SRT_TIMESTAMP ? ',' : '.'}500.`);
  }
  if (end <= start) return problem(lineNumber, `The cue ends (${endText}) before or when it starts (${startText}).`);
  if (previous && start < previous.startSeconds) {
    return problem(lineNumber, 'Cues must be in time order: this cue starts before the previous one.');
  }
  const textLines = block.lines.slice(timingAt + 1);
  if (textLines.length === 0) return problem(lineNumber, 'This cue has no caption text under its timing line.');
  const arrow = textLines.findIndex((line) => line.includes('-->'));
  if (arrow >= 0) return problem(lineNumber + 1 + arrow, 'A blank line is missing before this timing line.');
  return { cue: { id: null, startSeconds: start, endSeconds: end, settings: settings.trim(), text: textLines.join('\n') } };
}

function parseTimestamp(text: string, pattern: RegExp): number | null {
  const match = text.match(pattern);
  if (!match) return null;
  const [, hours = '0', minutes = '0', seconds = '0', millis = '0'] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds) + Number(millis) / 1000;
}

/** Blocks are separated by blank lines; line endings and a leading byte-order mark vary by tool. */
function splitBlocks(text: string): Block[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  let current: Block | null = null;
  lines.forEach((line, index) => {
    if (line.trim() === '') {
      current = null;
      return;
    }
    if (!current) {
      current = { firstLine: index + 1, lines: [] };
      blocks.push(current);
    }
    current.lines.push(line.trimEnd());
  });
  return blocks;
}

function srtTextToVtt(text: string): string {
  return text
    .replace(/\{\\[^}]*\}/g, '')
    .replace(/<\/?font[^>]*>/gi, '')
    .replace(/&(?![a-z]+;|#\d+;)/gi, '&amp;')
    .replace(/<(?!\/?[ibu]>)/gi, '&lt;');
}

function finish(cues: CaptionCue[], preamble: string[]): CaptionResult {
  if (cues.length === 0) return fail(1, 'The file contains no captions.');
  return { ok: true, cues, vtt: formatWebVtt(cues, preamble) };
}

function problem(line: number, reason: string): { problem: CaptionProblem } {
  return { problem: { line, reason } };
}

function fail(line: number, reason: string): CaptionResult {
  return { ok: false, problem: { line, reason } };
}
