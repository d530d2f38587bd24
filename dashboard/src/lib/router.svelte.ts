import { parseRoute, rotationSearch, type Route } from './route.js';

/**
 * Client-side navigation with the History API: `route` follows the address bar, links call
 * `navigate` instead of loading a page, and back/forward work. The api serves index.html for
 * these paths, so a reload lands on the same page.
 */
export class Router {
  path = $state(window.location.pathname);
  /** The query string (`?…` or ''): a page's own selection, or a wall's rotation. */
  search = $state(window.location.search);
  readonly route: Route = $derived(parseRoute(this.path));
  readonly #onPopState = (): void => {
    this.path = window.location.pathname;
    this.search = window.location.search;
  };

  start(): void {
    window.addEventListener('popstate', this.#onPopState);
  }

  stop(): void {
    window.removeEventListener('popstate', this.#onPopState);
  }

  /**
   * Shows `path`, keeping only a wall's rotation settings of the query string (`rotate`, `pages`):
   * a page's own selection (the billing page's run) does not follow to another page.
   */
  navigate(path: string): void {
    if (path === this.path) return;
    const search = rotationSearch(this.search);
    window.history.pushState(null, '', path + search);
    this.path = path;
    this.search = search;
  }

  /** Shows the same page with another query string (`?…` or ''), as a new history entry. */
  setSearch(search: string): void {
    if (search === this.search) return;
    window.history.pushState(null, '', this.path + search);
    this.search = search;
  }

  /**
   * A document click handler that keeps plain links to the app's pages in the app (no reload),
   * whichever component drew them (an SVG map node, a table cell): a root-relative path to a
   * known page.
   */
  intercept = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
    // The app's own links are root-relative paths without a target; the rest is the browser's.
    const href = anchor?.getAttribute('target') === null ? anchor.getAttribute('href') : null;
    if (href === null || !href.startsWith('/') || href.startsWith('//')) return;
    const path = href.split(/[?#]/, 1)[0] ?? href;
    if (parseRoute(path).page === 'not-found') return;
    event.preventDefault();
    this.navigate(path);
  };

  /** A click handler for in-app links: plain left clicks navigate, others keep browser behaviour. */
  link = (event: MouseEvent): void => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey)
      return;
    const anchor = event.currentTarget;
    if (!(anchor instanceof HTMLAnchorElement)) return;
    event.preventDefault();
    this.navigate(anchor.pathname);
  };
}
