/** The dashboard's pages, by client-side path. */
export type Route =
  | { readonly page: 'alarms' }
  | { readonly page: 'wall' }
  | { readonly page: 'oncall' }
  | { readonly page: 'incident'; readonly id: string }
  | { readonly page: 'billing' }
  | { readonly page: 'admin' }
  | { readonly page: 'device'; readonly name: string }
  | { readonly page: 'interface'; readonly device: string; readonly ifIndex: number }
  | { readonly page: 'not-found' };

/**
 * The page a path shows: `/` alarms, `/wall`, `/oncall`, `/incidents/:id`, `/billing`, `/admin`,
 * `/devices/:name`, `/devices/:name/interfaces/:ifIndex`.
 */
export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/alarms') return { page: 'alarms' };
  if (path === '/wall') return { page: 'wall' };
  if (path === '/oncall') return { page: 'oncall' };
  if (path === '/billing') return { page: 'billing' };
  if (path === '/admin') return { page: 'admin' };
  const incident = /^\/incidents\/([^/]+)$/.exec(path);
  if (incident?.[1] !== undefined) return { page: 'incident', id: decodeURIComponent(incident[1]) };
  const device = /^\/devices\/([^/]+)$/.exec(path);
  if (device?.[1] !== undefined) return { page: 'device', name: decodeURIComponent(device[1]) };
  const iface = /^\/devices\/([^/]+)\/interfaces\/([1-9][0-9]{0,9})$/.exec(path);
  if (iface?.[1] !== undefined && iface[2] !== undefined) {
    return { page: 'interface', device: decodeURIComponent(iface[1]), ifIndex: Number(iface[2]) };
  }
  return { page: 'not-found' };
}

/** The path of a device's page. */
export function devicePath(name: string): string {
  return `/devices/${encodeURIComponent(name)}`;
}

/** The path of an interface's page. */
export function interfacePath(device: string, ifIndex: number): string {
  return `${devicePath(device)}/interfaces/${String(ifIndex)}`;
}

/** Wall rotation from the address: `?rotate=30&pages=/wall,/` shows each page for 30 s. */
export interface Rotation {
  readonly intervalMs: number;
  readonly paths: readonly string[];
}

/**
 * Reads the rotation of a wall display from its query string: `rotate` (seconds, 5 to 3600) and
 * `pages` (comma-separated paths, default the wall and the alarm view). Undefined when the
 * address asks for none or asks for nonsense.
 */
export function parseRotation(search: string): Rotation | undefined {
  const params = new URLSearchParams(search);
  const seconds = Number(params.get('rotate'));
  if (!Number.isInteger(seconds) || seconds < 5 || seconds > 3600) return undefined;
  const paths = (params.get('pages') ?? '/wall,/')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.startsWith('/') && parseRoute(p).page !== 'not-found');
  return paths.length < 2 ? undefined : { intervalMs: seconds * 1000, paths };
}

/** The next page of a rotation after `current` (the first when `current` is not in it). */
export function nextRotationPath(rotation: Rotation, current: string): string {
  const index = rotation.paths.indexOf(current);
  return rotation.paths[(index + 1) % rotation.paths.length] ?? '/';
}

/** Only the rotation settings (`rotate`, `pages`) of a query string: `?…`, or '' without them. */
export function rotationSearch(search: string): string {
  const kept = new URLSearchParams();
  for (const [key, value] of new URLSearchParams(search)) {
    if (key === 'rotate' || key === 'pages') kept.append(key, value);
  }
  const text = kept.toString();
  return text === '' ? '' : `?${text}`;
}
