/** `fjnu.edu.cn`: lower-case labels of letters, digits and hyphens, at least two of them. */
export const mailDomainPattern = /^(?=.{3,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Normalises what an administrator typed (`@FJNU.edu.cn ` → `fjnu.edu.cn`). */
export function normaliseMailDomain(input: string): string {
  return input.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
}

/**
 * Whether the address is at `domain` or one of its subdomains (students are often at
 * `stu.` or `m.` of the university's domain). `evilfjnu.edu.cn` is not `fjnu.edu.cn`.
 */
export function domainCovers(domain: string, email: string): boolean {
  const at = email.lastIndexOf('@');
  if (at < 1) return false;
  const host = email.slice(at + 1).toLowerCase();
  return host === domain || host.endsWith(`.${domain}`);
}
