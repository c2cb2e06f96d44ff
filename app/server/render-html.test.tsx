import { Suspense } from 'react';
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

describe('aborting a render', () => {
  it('an abort after the page was delivered (the response closing, the render deadline) reports nothing', async () => {
    const errors: unknown[] = [];
    const controller = new AbortController();
    const html = await new Response(await renderHtml(<main><p>完</p></main>, { signal: controller.signal, onError: (e) => errors.push(e) })).text();
    expect(html).toContain('完');
    controller.abort(new Error('response closed'));
    await new Promise((r) => setTimeout(r, 20));
    expect(errors).toEqual([]);
  });

  it('an abort while the page is still waiting for data stops the render and reports why', async () => {
    const errors: unknown[] = [];
    const controller = new AbortController();
    const never = new Promise<never>(() => {});
    function Waits(): JSX.Element {
      throw never;
    }
    const stream = await renderHtml(<main><p>先到</p><Suspense fallback={<p>加载中</p>}><Waits /></Suspense></main>, { signal: controller.signal, onError: (e) => errors.push(e) });
    controller.abort(new Error('render deadline'));
    const html = await new Response(stream).text();
    expect(html).toContain('先到');
    expect(errors).toHaveLength(1);
  });
});
