import { takeTokenFromUrl } from './url-token.js';

const STORAGE_KEY = 'faultline.token';

/** The parts of `window` the session uses, so it can run against a fake in tests. */
export interface SessionHost {
  readonly localStorage: Storage;
  readonly location: Location;
  readonly history: History;
}

/**
 * Who is signed in: the API token, kept in localStorage. A `?token=` URL parameter signs in a
 * wall display that nobody types on, and is removed from the address bar (and its history
 * entry) at once so the token does not linger on screen or in bookmarks.
 */
export class Session {
  token = $state<string | null>(null);
  /** Why the sign-in screen is shown, when it is not the first visit. */
  notice = $state<string | null>(null);
  readonly #host: SessionHost;

  constructor(host: SessionHost) {
    this.#host = host;
    const fromUrl = takeTokenFromUrl(host.location.href);
    if (
      fromUrl.cleanedPath !==
      host.location.pathname + host.location.search + host.location.hash
    ) {
      host.history.replaceState(host.history.state, '', fromUrl.cleanedPath);
    }
    if (fromUrl.token !== null) this.signIn(fromUrl.token);
    else this.token = host.localStorage.getItem(STORAGE_KEY);
  }

  signIn(token: string): void {
    const trimmed = token.trim();
    if (trimmed === '') return;
    this.#host.localStorage.setItem(STORAGE_KEY, trimmed);
    this.token = trimmed;
    this.notice = null;
  }

  signOut(notice: string | null = null): void {
    this.#host.localStorage.removeItem(STORAGE_KEY);
    this.token = null;
    this.notice = notice;
  }
}
