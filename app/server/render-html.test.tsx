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

describe('chunks on the wire', () => {
  it('sends what one render pass wrote as one chunk, not React’s 512-byte pieces, with every byte kept', async () => {
    const page = <main>{Array.from({ length: 200 }, (_, i) => <p key={i}>第 {i} 段：线性代数的课程介绍与学习目标。</p>)}</main>;
    const stream = await renderHtml(page, {});
    const chunks: Uint8Array[] = [];
    for await (const c of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(c);
    const html = new TextDecoder().decode(Buffer.concat(chunks));
    expect(html.split('线性代数的课程介绍与学习目标').length - 1).toBe(200);
    expect(Buffer.concat(chunks).byteLength).toBeGreaterThan(10_000);
    expect(chunks.length).toBeLessThanOrEqual(2);
  });

  it('still streams: a part that waits for data arrives as a later chunk', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let ready = false;
    function Late(): JSX.Element {
      if (!ready) throw gate.then(() => (ready = true));
      return <p>后到</p>;
    }
    const stream = await renderHtml(<main><p>先到</p><Suspense fallback={<p>加载中</p>}><Late /></Suspense></main>, {});
    const reader = stream.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('先到');
    expect(first).not.toContain('后到');
    release();
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    expect(rest).toContain('后到');
  });
});
