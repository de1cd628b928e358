/**
 * GitHub's page-number pagination: `per_page` (default 30, at most 100) and
 * `page` (from 1), with a `Link` header naming prev, next, last and first in
 * that order, each only where it applies, exactly as api.github.com does.
 */

export interface Page<T> {
  items: T[];
  link?: string;
}

function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const n = Number.parseInt(query.get(name) ?? "", 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** The slice of `all` that `url`'s query asks for, plus the Link header for it. */
export function paginate<T>(all: readonly T[], url: URL): Page<T> {
  const perPage = Math.min(intParam(url.searchParams, "per_page", 30), 100);
  const page = intParam(url.searchParams, "page", 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  const at = (n: number): string => {
    const u = new URL(url);
    u.searchParams.set("page", String(n));
    return `<${u.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(Math.min(page - 1, last))}; rel="prev"`);
  if (page < last) links.push(`${at(page + 1)}; rel="next"`, `${at(last)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.length > 0 ? { items, link: links.join(", ") } : { items };
}
