import { describe, expect, it } from 'vitest';
import { renderHtml } from './render-html.server.js';

describe('server rendering of Chinese text', () => {
  it('never corrupts multi-byte characters at buffer boundaries (no NUL, no U+FFFD)', async () => {
    const sentence = '这个简称已被使用。请更正下面标出的内容。';
    // Shift the text across every byte offset of React's 2 KB buffer.
    for (let pad = 0; pad < 12; pad++) {
      const html = await new Response(await renderHtml(<main>{'a'.repeat(pad)}{Array.from({ length: 40 }, (_, i) => <p key={i}>{sentence.repeat(8)}</p>)}</main>, {})).text();
      expect(html.includes('\u0000') || html.includes('\uFFFD')).toBe(false);
      expect(html.split(sentence.repeat(8)).length - 1).toBe(40);
    }
  });
});
