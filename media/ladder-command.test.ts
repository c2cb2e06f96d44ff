import { describe, expect, it } from 'vitest';
import { buildLadderCommand } from './ladder-command.js';
import { planLadder } from './ladder.js';

const plan1080 = planLadder({ width: 1920, height: 1080, fps: 30, hasVideo: true, hasAudio: true });
const build = (extra: Partial<Parameters<typeof buildLadderCommand>[0]> = {}) =>
  buildLadderCommand({ input: '/in/talk.mp4', outDir: '/out/ladder', plan: plan1080, ...extra });
const valueOf = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('buildLadderCommand filter graph', () => {
  it('scales the source once, to the top rung, and every lower rung from that picture', () => {
    const graph = valueOf(build(), '-filter_complex')!;
    const chains = graph.split(';');
    expect(chains.filter((chain) => chain.startsWith('[0:v:0]'))).toEqual([
      '[0:v:0]fps=30,format=yuv420p,zscale=w=1280:h=720:filter=spline16,setsar=1,split=5[vs0][vs1][vs2][vs3][vs4]',
    ]);
    expect(graph.match(/zscale=/g)).toHaveLength(5);
    // 240p is listed first (the start rung) and keeps its lower frame rate.
    expect(chains).toContain('[vs0]fps=15,zscale=w=426:h=240:filter=spline16,setsar=1[v0]');
    expect(chains).toContain('[vs1]null[v1]');
  });

  it('falls back to swscale for ffmpeg builds without zscale', () => {
    const graph = valueOf(build({ scaler: 'swscale' }), '-filter_complex')!;
    expect(graph).not.toContain('zscale');
    expect(graph).toContain('[0:v:0]fps=30,format=yuv420p,scale=w=1280:h=720:flags=bicubic,setsar=1,split=5');
  });
});

describe('buildLadderCommand encoder and playlists', () => {
  it('switches the macroblock tree back on only for presets that drop it', () => {
    expect(valueOf(build({ encoderPreset: 'ultrafast' }), '-x264-params:v')).toBe('mbtree=1:rc-lookahead=10');
    expect(build({ encoderPreset: 'medium' })).not.toContain('-x264-params:v');
  });

  it('writes EVENT playlists after every segment only when asked to', () => {
    expect(valueOf(build(), '-hls_playlist_type')).toBe('vod');
    expect(valueOf(build({ playlistsWhileEncoding: true }), '-hls_playlist_type')).toBe('event');
  });
});
