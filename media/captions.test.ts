import { describe, expect, it } from 'vitest';
import { formatVttTimestamp, parseWebVtt, srtToWebVtt } from './captions.js';

const goodVtt = `\uFEFFWEBVTT - Week 3: photosynthesis

NOTE written by the teacher

STYLE
::cue { color: yellow }

intro
00:01.000 --> 00:04.500 line:0 align:start
Good morning, class.

00:00:05.000 --> 00:00:08.250
Today: <b>light</b> reactions
and the Calvin cycle.
`;

const goodSrt = `1\r
00:00:01,000 --> 00:00:04,500\r
Good morning, <font color="#ffff00">class</font>.\r
\r
2\r
00:00:05,000 --> 00:00:08,250 X1:100 X2:200 Y1:10 Y2:20\r
{\\an8}Q&A <i>after</i> the break\r
`;

describe('parseWebVtt', () => {
  it('reads cues with ids and settings, skips notes and normalises the file', () => {
    const result = parseWebVtt(goodVtt);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.cues).toEqual([
      { id: 'intro', startSeconds: 1, endSeconds: 4.5, settings: 'line:0 align:start', text: 'Good morning, class.' },
      { id: null, startSeconds: 5, endSeconds: 8.25, settings: '', text: 'Today: <b>light</b> reactions\nand the Calvin cycle.' },
    ]);
    expect(result.vtt).toBe(`WEBVTT

STYLE
::cue { color: yellow }

intro
00:00:01.000 --> 00:00:04.500 line:0 align:start
Good morning, class.

00:00:05.000 --> 00:00:08.250
Today: <b>light</b> reactions
and the Calvin cycle.
`);
  });

  it('reads its own output back unchanged', () => {
    const once = parseWebVtt(goodVtt);
    if (!once.ok) throw new Error('expected valid');
    const twice = parseWebVtt(once.vtt);
    expect(twice.ok && twice.vtt).toBe(once.vtt);
  });

  it.each([
    ['a missing WEBVTT header', '00:00:01.000 --> 00:00:02.000\nHello\n', 1, /start with a line reading WEBVTT/],
    ['an SRT file uploaded as .vtt', '1\n00:00:01,000 --> 00:00:02,000\nHello\n', 1, /WEBVTT/],
    ['a comma in a timestamp', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOk\n\n00:00:03,000 --> 00:00:04.000\nBad\n', 6, /"00:00:03,000" is not a valid time/],
    ['sixty seconds', 'WEBVTT\n\n00:00:60.000 --> 00:01:02.000\nBad\n', 3, /"00:00:60.000"/],
    ['an end before the start', 'WEBVTT\n\n00:00:05.000 --> 00:00:04.000\nBackwards\n', 3, /ends \(00:00:04.000\) before or when it starts/],
    ['a cue without text', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n00:00:03.000 --> 00:00:04.000\nText\n', 3, /no caption text/],
    ['a missing blank line between cues', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nOne\n00:00:03.000 --> 00:00:04.000\nTwo\n', 5, /blank line is missing/],
    ['no blank line after the header', 'WEBVTT\n00:00:01.000 --> 00:00:02.000\nHello\n', 2, /blank line between the WEBVTT header/],
    ['a block that is not a cue', 'WEBVTT\n\njust some words\n', 3, /Expected a cue timing line/],
    ['an id without timing', 'WEBVTT\n\nintro\nHello there\n', 4, /Expected a cue timing line/],
    ['cues out of order', 'WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nLater\n\n00:00:01.000 --> 00:00:02.000\nEarlier\n', 6, /time order/],
    ['a STYLE block after cues', 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHi\n\nSTYLE\n::cue {}\n', 6, /above the first cue/],
    ['no cues at all', 'WEBVTT\n\nNOTE nothing here\n', 1, /no captions/],
  ])('reports the first bad line for %s', (_, text, line, reason) => {
    const result = parseWebVtt(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.line).toBe(line);
    expect(result.problem.reason).toMatch(reason);
  });
});

describe('srtToWebVtt', () => {
  it('converts SubRip to WebVTT, dropping numbering, positions and non-WebVTT tags', () => {
    const result = srtToWebVtt(goodSrt);
    expect(result.ok && result.vtt).toBe(`WEBVTT

00:00:01.000 --> 00:00:04.500
Good morning, class.

00:00:05.000 --> 00:00:08.250
Q&amp;A <i>after</i> the break
`);
    if (result.ok) expect(parseWebVtt(result.vtt).ok).toBe(true);
  });

  it('accepts hours beyond 99 and a missing cue number', () => {
    const result = srtToWebVtt('100:00:01,000 --> 100:00:02,000\nLate\n');
    expect(result.ok && result.cues[0]?.startSeconds).toBe(360_001);
  });

  it.each([
    ['a dot-less timestamp', '1\n00:00:01 --> 00:00:02,000\nHi\n', 2, /"00:00:01" is not a valid time.*00:01:02,500/],
    ['an end before the start', '1\n00:00:03,000 --> 00:00:02,000\nHi\n', 2, /before or when it starts/],
    ['a cue without text', '1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nHi\n', 2, /no caption text/],
    ['a number with no timing line', '1\nHello\n', 2, /Expected a cue timing line/],
    ['an empty file', '\n\n', 1, /no captions/],
  ])('reports the first bad line for %s', (_, text, line, reason) => {
    const result = srtToWebVtt(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem).toEqual({ line, reason: expect.stringMatching(reason) });
  });
});

describe('formatVttTimestamp', () => {
  it('rounds to milliseconds and always writes hours', () => {
    expect(formatVttTimestamp(0)).toBe('00:00:00.000');
    expect(formatVttTimestamp(3723.4567)).toBe('01:02:03.457');
    expect(formatVttTimestamp(59.9996)).toBe('00:01:00.000');
  });
});
