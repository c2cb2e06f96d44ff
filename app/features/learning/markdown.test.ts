import { describe, expect, it } from 'vitest';
import { renderLessonMarkdown, safeLinkTarget } from './markdown.js';

/** Every tag the renderer may emit; anything else in the output means markup leaked through. */
const allowedTags = new Set(['p', 'br', 'h2', 'h3', 'h4', 'h5', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'a']);
function tagsIn(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase());
}
function attributesIn(html: string): string[] {
  return [...html.matchAll(/<[a-z0-9]+((?:\s+[^\s>]+)*)\s*>/g)].flatMap((m) => [...m[1]!.matchAll(/\s([\w-]+)=/g)].map((a) => a[1]!));
}

describe('renderLessonMarkdown: the supported subset', () => {
  it('paragraphs, line breaks and headings (one level below the page title)', () => {
    expect(renderLessonMarkdown('# 第一节\n\n第一行\n第二行\n\n第二段')).toBe('<h2>第一节</h2>\n<p>第一行<br>第二行</p>\n<p>第二段</p>');
    expect(renderLessonMarkdown('#### 小结')).toBe('<h5>小结</h5>');
    expect(renderLessonMarkdown('#没有空格')).toBe('<p>#没有空格</p>');
  });

  it('bullet and numbered lists', () => {
    expect(renderLessonMarkdown('- 向量加法\n* 数乘\n\n1. 第一步\n2) 第二步')).toBe('<ul><li>向量加法</li><li>数乘</li></ul>\n<ol><li>第一步</li><li>第二步</li></ol>');
  });

  it('bold, italic, inline code (not formatted inside) and http(s) links', () => {
    expect(renderLessonMarkdown('**线性组合**与*数乘*、_标量_')).toBe('<p><strong>线性组合</strong>与<em>数乘</em>、<em>标量</em></p>');
    expect(renderLessonMarkdown('用 `a**b**<c>` 表示')).toBe('<p>用 <code>a**b**&lt;c&gt;</code> 表示</p>');
    expect(renderLessonMarkdown('见[教材 **第二章**](https://example.edu.cn/book?a=1&b=2)')).toBe(
      '<p>见<a href="https://example.edu.cn/book?a=1&amp;b=2" rel="noopener noreferrer nofollow">教材 <strong>第二章</strong></a></p>',
    );
    expect(renderLessonMarkdown('2 * 3 * 4 与 a_b_c')).toBe('<p>2 * 3 * 4 与 a_b_c</p>');
  });
});

describe('renderLessonMarkdown: hostile input stays text', () => {
  const attacks = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '[点我](javascript:alert(1))',
    '[点我](JaVaScRiPt:alert(1))',
    '[点我](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[点我](//evil.example/x)',
    '[点我](https://a.example/"onmouseover="alert(1))',
    "[点我](https://a.example/'onmouseover='alert(1))",
    '[<img src=x onerror=alert(1)>](https://a.example/)',
    '**<svg onload=alert(1)>**',
    '`</code><script>alert(1)</script>`',
    '# <iframe src="https://evil.example">',
    '- <style>body{display:none}</style>',
    '&lt;script&gt; and &#60;script&#62;',
    '<!-- comment --> <![CDATA[x]]>',
    '[a](https://x.example/)<script>[b](https://y.example/)',
    '\u0000<scr\u0000ipt>',
  ];
  for (const attack of attacks) {
    it(JSON.stringify(attack), () => {
      const html = renderLessonMarkdown(attack);
      expect(tagsIn(html).filter((t) => !allowedTags.has(t))).toEqual([]);
      expect(attributesIn(html).filter((a) => a !== 'href' && a !== 'rel')).toEqual([]);
      for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^https?:\/\//);
    });
  }

  it('entities the teacher typed are shown as typed, not decoded', () => {
    expect(renderLessonMarkdown('&lt;b&gt;')).toBe('<p>&amp;lt;b&amp;gt;</p>');
  });

  it('a link with a refused target is shown as plain text', () => {
    expect(renderLessonMarkdown('[点我](javascript:alert(1))')).toBe('<p>[点我](javascript:alert(1))</p>');
  });

  it('quotes inside a link target cannot close the attribute', () => {
    const html = renderLessonMarkdown('[x](https://a.example/"onmouseover="alert(1))');
    expect(html).not.toContain('" onmouseover');
    expect(html).toMatch(/^<p><a href="https:\/\/a\.example\/%22onmouseover=%22alert\(1" rel="noopener noreferrer nofollow">x<\/a>\)<\/p>$/);
  });
});

describe('safeLinkTarget', () => {
  it('accepts absolute http(s) URLs only', () => {
    expect(safeLinkTarget('https://example.edu.cn/a b')).toBe('https://example.edu.cn/a%20b');
    expect(safeLinkTarget('http://example.edu.cn')).toBe('http://example.edu.cn/');
    for (const bad of ['javascript:alert(1)', 'ftp://x', '/relative', '//host/x', 'mailto:a@b.c', 'https://', 'vbscript:x']) expect(safeLinkTarget(bad), bad).toBeNull();
  });
});
