import type { VideoCaption } from '../../../db/schema/index.js';

/** Each caption language's name in the player's menu, in that language. */
export const CAPTION_TRACK_NAMES: Record<VideoCaption['language'], string> = { 'zh-CN': '中文', en: 'English' };
