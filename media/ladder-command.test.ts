import { describe, expect, it } from 'vitest';
import { audioBitrates, buildAudioCommand, buildLadderCommand } from './ladder-command.js';
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
  it('switches the macroblock tree back on only for presets that drop it, and lowers AQ for every preset', () => {
    expect(valueOf(build({ encoderPreset: 'ultrafast' }), '-x264-params:v')).toBe('aq-strength=0.8:mbtree=1:rc-lookahead=10');
    expect(valueOf(build({ encoderPreset: 'medium' }), '-x264-params:v')).toBe('aq-strength=0.8');
  });

  it('writes EVENT playlists after every segment only when asked to', () => {
    expect(valueOf(build(), '-hls_playlist_type')).toBe('vod');
    expect(valueOf(build({ playlistsWhileEncoding: true }), '-hls_playlist_type')).toBe('event');
  });
});

describe('audio encoded once for the whole ladder', () => {
  it('needs one encode per distinct bitrate, not one per rung', () => {
    expect(audioBitrates(plan1080)).toEqual([32, 40, 48]);
    expect(plan1080.video.filter((rung) => rung.audioKbps !== null)).toHaveLength(5);
  });

  it('encodes each bitrate from the same clip, rate and layout as the ladder, through the input fence', () => {
    const outputs = new Map([[32, '/tmp/a/audio-32k.mp4'], [48, '/tmp/a/audio-48k.mp4']]);
    const args = buildAudioCommand({ input: '/in/talk.mp4', inputDemuxer: 'mov', clip: { startSeconds: 600, durationSeconds: 600 }, outputs });
    expect(args.join(' ')).toContain('-ss 600 -t 600 -protocol_whitelist file -format_whitelist');
    expect(valueOf(args, '-filter_complex')).toBe('[0:a:0]aformat=sample_fmts=fltp:sample_rates=32000:channel_layouts=mono,asplit=2[a0][a1]');
    expect(args.join(' ')).toContain('-map [a0] -c:a aac -b:a 32k');
    expect(args.join(' ')).toContain('-map [a1] -c:a aac -b:a 48k');
    expect(args.slice(-3)).toEqual(['-protocol_whitelist', 'file', '/tmp/a/audio-48k.mp4']);
  });

  it('makes the ladder copy each rung\'s audio from the file of its bitrate, declaring the nominal rate', () => {
    const encodedAudio = new Map([[32, '/tmp/a/audio-32k.mp4'], [40, '/tmp/a/audio-40k.mp4'], [48, '/tmp/a/audio-48k.mp4']]);
    const args = build({ encodedAudio });
    expect(args.filter((arg) => arg === '-i')).toHaveLength(4);
    expect(args.join(' ')).toContain('-f mov -i file:/tmp/a/audio-40k.mp4');
    expect(valueOf(args, '-filter_complex')).not.toContain('asplit');
    expect(valueOf(args, '-c:a')).toBe('copy');
    // Master order: 240p (32k), 720p (48k), 480p (48k), 360p (40k), 144p (32k), audio-only (32k).
    const audioMaps = args.flatMap((arg, i) => (arg === '-map' && /^\d:a:0$/.test(args[i + 1]!) ? [args[i + 1]] : []));
    expect(audioMaps).toEqual(['1:a:0', '3:a:0', '3:a:0', '2:a:0', '1:a:0', '1:a:0']);
    expect(valueOf(args, '-b:a:3')).toBe('40k');
    expect(() => build({ encodedAudio: new Map([[48, '/tmp/a/audio-48k.mp4']]) })).toThrow(/32 kbit\/s/);
  });
});
