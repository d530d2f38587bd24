import { parseRoute, type Route } from './route.js';

/**
 * Client-side navigation with the History API: `route` follows the address bar, links call
 * `navigate` instead of loading a page, and back/forward work. The api serves index.html for
 * these paths, so a reload lands on the same page.
 */
export class Router {
  path = $state(window.location.pathname);
  readonly route: Route = $derived(parseRoute(this.path));
  readonly #onPopState = (): void => {
    this.path = window.location.pathname;
  };

  start(): void {
    window.addEventListener('popstate', this.#onPopState);
  }

  stop(): void {
    window.removeEventListener('popstate', this.#onPopState);
  }

  /** Shows `path`, keeping the query string (a wall's rotation settings live there). */
  navigate(path: string): void {
    if (path === this.path) return;
    window.history.pushState(null, '', path + window.location.search);
    this.path = path;
  }

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
