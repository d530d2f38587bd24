/** A token found in a URL, and the address to show instead, without it. */
export interface UrlToken {
  readonly token: string | null;
  /** Path, query and fragment with the `token` parameter removed. */
  readonly cleanedPath: string;
}

/** Reads the `token` query parameter of `href` and the same address without it. */
export function takeTokenFromUrl(href: string): UrlToken {
  const url = new URL(href);
  const raw = url.searchParams.get('token');
  url.searchParams.delete('token');
  const token = raw === null || raw.trim() === '' ? null : raw.trim();
  return { token, cleanedPath: url.pathname + url.search + url.hash };
}
