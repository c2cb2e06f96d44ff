// The player's caption menu names each language in itself (one list, beside the HLS subtitle code).
export { CAPTION_TRACK_NAMES } from '../../../media/hls-subtitles.js';
