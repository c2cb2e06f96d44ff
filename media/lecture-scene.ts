/**
 * The lavfi filtergraph behind generateLectureClip: what a recorded lecture looks and
 * sounds like, built from ffmpeg's generated sources only (no committed binaries).
 */
export interface LectureScene {
  seconds: number;
  width: number;
  height: number;
  fps: number;
  /** How long each slide stays up; real lectures hold a slide for 15-30 s. */
  slideSeconds: number;
  /** Temporal noise strength (ffmpeg `noise` alls): a camera never gives flat colour. */
  grain: number;
  /** Slides shown in turn (default: three English layouts, titled "Lecture 3 - slide N"). */
  slides?: readonly LectureSlide[] | undefined;
  /** A fontconfig family for the slide text, e.g. a CJK font for Chinese slides. */
  font?: string | undefined;
}

export interface LectureSlide {
  title: string;
  /** Up to four lines of body text. */
  lines: readonly string[];
}

/**
 * Slide text goes into the filtergraph inside single quotes; these characters would need
 * two levels of escaping there, so custom slides may not use them (full-width forms are fine).
 */
const UNSAFE_SLIDE_TEXT = /['\\:%,;[\]]/;

/** A fontconfig family name that can go into drawtext's `font='…'` as it is. */
export function isSafeFontFamily(family: string): boolean {
  return /^[\w .-]+$/.test(family);
}

// Three slide layouts in turn, so consecutive slides differ in text, not only in number.
const SLIDE_BODIES: readonly (readonly string[])[] = [
  ['Water cycle - evaporation from rivers and lakes', 'Condensation forms clouds above the hills', 'Rainfall in the dry season is below 20 mm', 'Groundwater feeds the village wells'],
  ['Crop yield per hectare over five seasons', 'Maize rose from 1.8 t to 2.6 t', 'Beans stayed near 0.9 t'],
  ['Exercise 4 - solve for x', '3x + 7 = 22 so x = 5'],
];

export function lectureVideoGraph(scene: LectureScene, withText: boolean): string {
  const { seconds, width, height, fps } = scene;
  const slide = `(floor(t/${scene.slideSeconds}))`;
  const custom = scene.slides;
  if (custom && (custom.length === 0 || custom.some((c) => c.lines.length > 4 || [c.title, ...c.lines].some((t) => UNSAFE_SLIDE_TEXT.test(t))))) {
    throw new Error('custom slides need at least one slide, at most four lines each, and no quote, backslash, colon, percent, comma, semicolon or bracket');
  }
  if (scene.font !== undefined && !isSafeFontFamily(scene.font)) throw new Error(`not a font family name: ${scene.font}`);
  const layouts = custom?.length ?? SLIDE_BODIES.length;
  const onLayout = (layout: number) => `eq(mod(${slide},${layouts}),${layout})`;
  const small = Math.max(6, Math.round(height / 26));
  const large = Math.max(6, Math.round(height / 14));
  const font = scene.font ? `:font='${scene.font}'` : '';
  const text = (content: string, size: number, color: string, x: string, y: string, enable?: string) =>
    `drawtext=text='${content}'${font}:fontcolor=${color}:fontsize=${size}:x=${x}:y=${y}${enable ? `:enable='${enable}'` : ''}`;
  const bodies = (custom?.map((c) => c.lines) ?? SLIDE_BODIES).flatMap((lines, layout) =>
    lines.map((line, i) => text(line, small, '0x333333', 'w*0.08', `h*${(0.3 + i * 0.08).toFixed(2)}`, onLayout(layout))));
  const titles = custom
    ? custom.map((c, layout) => text(c.title, large, 'white', 'w*0.08', 'h*0.1', onLayout(layout)))
    : [text(`Lecture 3 - slide %{eif\\:${slide}+1\\:d}`, large, 'white', 'w*0.08', 'h*0.1')];
  const slideGraph = [
    `color=c=0xF4F1E8:s=${width}x${height}:r=${fps}:d=${seconds}`,
    `drawbox=x=0:y=0:w=iw:h=ih:color=0xDCE6F2:t=fill:enable='eq(mod(${slide},2),1)'`,
    'drawbox=x=iw*0.06:y=ih*0.08:w=iw*0.6:h=ih*0.12:color=0x1F3A5F:t=fill',
    // A bar chart on the second layout: edges and flat fills, as in real slide graphics.
    ...[0.62, 0.54, 0.68].map((top, i) =>
      `drawbox=x=iw*${(0.1 + i * 0.1).toFixed(1)}:y=ih*${top}:w=iw*0.06:h=ih*${(0.85 - top).toFixed(2)}:color=0x2E7D32:t=fill:enable='${onLayout(1)}'`),
    ...(withText
      ? [...titles, ...bodies]
      : [...[0.32, 0.44, 0.56].map((y) => `drawbox=x=iw*0.08:y=ih*${y}:w=iw*0.5:h=ih*0.04:color=0x555555:t=fill`)]),
  ].join(',');
  const head = talkingHead(scene);
  return [
    `${slideGraph}[slide]`,
    ...head.graph,
    `[slide][${head.label}]overlay=x='W-w-W*0.05+W*0.02*sin(2*t)':y='H-h-H*0.06+H*0.02*sin(3*t)':shortest=1,noise=alls=${scene.grain}:allf=t+u,format=yuv420p[video]`,
  ].join(';');
}

/** A speaker window: a slowly shifting background, a swaying face and a mouth that opens and closes. */
function talkingHead({ seconds, width, height, fps }: LectureScene): { graph: string[]; label: string } {
  const w = even(width / 6);
  const h = even(height / 4);
  const source = `r=${fps}:d=${seconds}`;
  return {
    label: 'head',
    graph: [
      `gradients=s=${w}x${h}:${source}:c0=0x4A5A6A:c1=0x8A8070:seed=7:speed=0.02[room]`,
      `color=c=0xB07A5A:s=${even(w * 0.45)}x${even(h * 0.6)}:${source},` +
        `drawbox=x=iw*0.3:y=ih*0.7:w=iw*0.4:h=ih*0.08:color=0x5A2A20:t=fill:enable='lt(mod(t,0.4),0.2)'[face]`,
      `[room][face]overlay=x='W*0.28+W*0.06*sin(1.3*t)':y='H*0.25+H*0.03*sin(0.7*t)':shortest=1[head]`,
    ],
  };
}

/** Voiced speech: a gliding pitch with harmonics, syllables at about 3.5 per second, pauses between phrases, room hiss. */
export function lectureAudioGraph(seconds: number): string {
  const phase = '2*PI*(140*t-6*cos(2*PI*0.7*t))';
  const harmonics = [1, 2, 3, 4, 6].map((k, i) => `${(0.5 / (i + 1)).toFixed(3)}*sin(${k}*${phase})`).join('+');
  const envelope = '(0.55+0.45*sin(2*PI*3.5*t))*gt(sin(2*PI*0.23*t)+0.4,0)';
  return [
    `aevalsrc=exprs='0.5*${envelope}*(${harmonics})':s=48000:d=${seconds}[voice]`,
    `anoisesrc=color=pink:amplitude=0.03:sample_rate=48000:duration=${seconds}[hiss]`,
    '[voice][hiss]amix=inputs=2:duration=shortest[audio]',
  ].join(';');
}

function even(value: number): number {
  return Math.max(2, Math.round(value / 2) * 2);
}
