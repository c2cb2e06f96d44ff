// hls.js ships no types for its light build; it has the same API minus subtitles, alternate
// audio, DRM and a few more (which this player does not use).
declare module 'hls.js/light' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
