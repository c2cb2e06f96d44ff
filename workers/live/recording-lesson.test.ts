import { describe, expect, it } from 'vitest';
import { recordingLessonTitles } from './recording-lesson.js';

describe('the recording lesson’s title', () => {
  it('names the class and its start in China Standard Time, in both languages', () => {
    // 01:30 UTC is 09:30 in Fuzhou.
    expect(recordingLessonTitles(new Date('2026-11-25T01:30:00Z'))).toEqual({ titleZh: '课堂录像 2026/11/25 09:30', titleEn: 'Class recording 25/11/2026, 09:30' });
    // Late evening UTC is already the next day there.
    expect(recordingLessonTitles(new Date('2026-11-25T17:05:00Z')).titleZh).toBe('课堂录像 2026/11/26 01:05');
  });
});
