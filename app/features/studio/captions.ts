export const captionLanguages = ['zh-CN', 'en'] as const;
export const MAX_CAPTION_BYTES = 1024 * 1024;
