// Where to send a browser after login: only a path on this site. Browsers drop TAB, CR
// and LF inside URLs and read `\` as `/`, so `/<TAB>/evil.example` or `/\evil.example`
// would leave the site; such targets, and their percent-encoded forms, fall back.

const base = 'http://same-origin.invalid';
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const unsafe = /[\u0000-\u001f\u007f\\]/;

/** The forms a target may take once decoded (at most three rounds of percent-decoding). */
function decodedForms(to: string): string[] | null {
  const forms = [to];
  let current = to;
  for (let i = 0; i < 3 && current.includes('%'); i++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return null;
    }
    forms.push(current);
  }
  return forms;
}

/** `to` as a same-origin path (path, query, hash), or `fallback` when it is anything else. */
export function safeRedirectPath(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || to.length > 2000 || !to.startsWith('/')) return fallback;
  const forms = decodedForms(to);
  if (!forms) return fallback;
  for (const form of forms) {
    if (unsafe.test(form) || form.startsWith('//') || /^\/[^/]*:/.test(form)) return fallback;
  }
  const url = new URL(to, base);
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
