/**
 * Lesson text: a small, safe Markdown subset rendered to HTML on the server. Supported:
 * paragraphs (a single line break is kept), headings (`#`…`####`; shifted one level down
 * because the page's own title is the h1), bullet (`-`, `*`) and numbered (`1.`) lists,
 * **bold**, *italic* / _italic_, `inline code`, and [links](https://…) to http(s) only.
 * Everything else, raw HTML included, is shown as text: every character a teacher types
 * is escaped before any markup is added, so no input can produce a tag or attribute.
 */

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

/** The link target if it is an absolute http(s) URL, normalised by the URL parser; else null. */
export function safeLinkTarget(raw: string): string | null {
  if (!/^https?:\/\//i.test(raw)) return null;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Bold and italic on text that is already escaped (escaping leaves `*` and `_` alone). */
function emphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*(?=\S)([^*]+?)(?<=\S)\*(?!\*)/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)([^_]+?)(?<=\S)_(?!\w)/g, '$1<em>$2</em>');
}

const linkPattern = /\[([^\]\n]+)\]\(([^)\s]+)\)/g;

function linksAndEmphasis(text: string): string {
  let html = '';
  let last = 0;
  for (const m of text.matchAll(linkPattern)) {
    const target = safeLinkTarget(m[2]!);
    if (!target) continue;
    html += emphasis(escapeHtml(text.slice(last, m.index)));
    html += `<a href="${escapeHtml(target)}" rel="noopener noreferrer nofollow">${emphasis(escapeHtml(m[1]!))}</a>`;
    last = m.index + m[0].length;
  }
  return html + emphasis(escapeHtml(text.slice(last)));
}

/** Inline markup of one line: code spans first (their content is never formatted). */
export function renderInline(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : linksAndEmphasis(part)))
    .join('');
}

type Block = { kind: 'p'; lines: string[] } | { kind: 'h'; level: number; text: string } | { kind: 'ul' | 'ol'; items: string[] };

const headingLine = /^(#{1,4})\s+(.+?)\s*#*\s*$/;
const bulletLine = /^\s{0,3}[-*]\s+(.*)$/;
const numberedLine = /^\s{0,3}\d{1,9}[.)]\s+(.*)$/;

function parseBlocks(source: string): Block[] {
  const blocks: Block[] = [];
  const open = () => blocks[blocks.length - 1];
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    const heading = headingLine.exec(line);
    const bullet = bulletLine.exec(line);
    const numbered = bullet ? null : numberedLine.exec(line);
    const current = open();
    if (line.trim() === '') {
      blocks.push({ kind: 'p', lines: [] });
    } else if (heading) {
      blocks.push({ kind: 'h', level: heading[1]!.length, text: heading[2]! });
    } else if (bullet || numbered) {
      const kind = bullet ? 'ul' : 'ol';
      const item = (bullet ?? numbered)![1]!;
      if (current?.kind === kind) current.items.push(item);
      else blocks.push({ kind, items: [item] });
    } else if (current?.kind === 'p') {
      current.lines.push(line.trim());
    } else {
      blocks.push({ kind: 'p', lines: [line.trim()] });
    }
  }
  return blocks.filter((b) => b.kind !== 'p' || b.lines.length > 0);
}

/** The lesson text as HTML, safe to insert into the page. */
export function renderLessonMarkdown(source: string): string {
  return parseBlocks(source)
    .map((b) => {
      if (b.kind === 'h') return `<h${b.level + 1}>${renderInline(b.text)}</h${b.level + 1}>`;
      if (b.kind === 'p') return `<p>${b.lines.map(renderInline).join('<br>')}</p>`;
      return `<${b.kind}>${b.items.map((i) => `<li>${renderInline(i)}</li>`).join('')}</${b.kind}>`;
    })
    .join('\n');
}
