// The teacher's "camera" in bench:live: a canvas painting the wall clock as a block
// pattern, which the classroom side decodes from the frame it is showing. Both pages run
// in one browser on one machine, so one clock serves both ends (glass-to-glass).
// These run inside the pages. They are plain JavaScript text: tsx (esbuild, keepNames)
// would wrap the inner functions of a serialised TypeScript function in a `__name` helper
// the page does not have.

/** 24 bits of Date.now()/10 (10 ms steps, wraps after 46 h) as 3 rows of 8 blocks, 40x40 px each. */
export const installPatternCamera = `(() => {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const g = canvas.getContext('2d');
  const paint = () => {
    const v = Math.floor(Date.now() / 10) % 2 ** 24;
    g.fillStyle = '#808080';
    g.fillRect(0, 0, 320, 240);
    for (let bit = 0; bit < 24; bit++) {
      g.fillStyle = (v >> bit) & 1 ? '#ffffff' : '#000000';
      g.fillRect((bit % 8) * 40, Math.floor(bit / 8) * 40, 40, 40);
    }
    g.fillStyle = '#000';
    g.font = '20px monospace';
    g.fillText(String(Date.now()), 10, 200);
  };
  setInterval(paint, 1000 / 30);
  paint();
  const fake = async (constraints) => {
    const stream = canvas.captureStream(15);
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const out = audio.createMediaStreamDestination();
    tone.connect(out);
    tone.start();
    if (constraints?.audio) stream.addTrack(out.stream.getAudioTracks()[0]);
    return stream;
  };
  Object.defineProperty(navigator.mediaDevices, 'getUserMedia', { value: fake });
})();`;

/**
 * Starts sampling a playing <video>: at every presented frame (requestVideoFrameCallback)
 * it decodes the pattern and records now − painted time, in ms. Frames whose blocks are
 * not clearly black or white (a scaled or blended frame) are counted, not used.
 */
export const sampleGlassToGlass = (selector: string) => `(() => {
  const w = window;
  w.__g2g = { delays: [], unreadable: 0 };
  const video = document.querySelector(${JSON.stringify(selector)});
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const onFrame = () => {
    const now = Date.now();
    g.drawImage(video, 0, 0, 320, 240);
    let v = 0;
    let clear = true;
    for (let bit = 0; bit < 24; bit++) {
      const px = g.getImageData((bit % 8) * 40 + 20, Math.floor(bit / 8) * 40 + 20, 1, 1).data;
      const luma = (px[0] + px[1] + px[2]) / 3;
      if (luma > 80 && luma < 176) clear = false;
      if (luma >= 128) v |= 1 << bit;
    }
    const painted = v * 10;
    const delay = (Math.floor(now / 10) % 2 ** 24) * 10 - painted;
    if (clear && delay >= 0 && delay < 60_000) w.__g2g.delays.push(delay);
    else w.__g2g.unreadable++;
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
})();`;
