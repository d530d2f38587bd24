import type { Route } from './route.js';

/** A link of the navigation bar. */
export interface NavLink {
  readonly path: string;
  readonly label: string;
  /** The pages under this link (the one marked current). */
  readonly pages: readonly Route['page'][];
}

/** What a page is called in a sentence, and the permission it needs beyond signing in. */
const RESTRICTED: Partial<Record<Route['page'], { name: string; permission: string }>> = {
  billing: { name: 'the billing desk', permission: 'billing:read' },
  admin: { name: 'the admin page', permission: 'admin' },
};

const LINKS: readonly NavLink[] = [
  { path: '/', label: 'Alarms', pages: ['alarms'] },
  { path: '/oncall', label: 'On-call', pages: ['oncall', 'incident', 'device', 'interface'] },
  { path: '/wall', label: 'Wall', pages: ['wall'] },
  { path: '/billing', label: 'Billing', pages: ['billing'] },
  { path: '/admin', label: 'Admin', pages: ['admin'] },
];

/**
 * The links a caller may follow: a restricted page's link only with its permission, so a viewer
 * never sees a Billing link that would answer 403. Until the session is known (`null`), only the
 * pages every role reads.
 */
export function navLinks(permissions: readonly string[] | null): NavLink[] {
  return LINKS.filter((link) =>
    link.pages.every((page) => {
      const rule = RESTRICTED[page];
      return rule === undefined || (permissions?.includes(rule.permission) ?? false);
    }),
  );
}

/**
 * Why the caller may not use a page, in a sentence for them; null when they may (or while the
 * session is not known yet: the api refuses anyway).
 */
export function pageRefusal(
  page: Route['page'],
  caller: { readonly role: string; readonly permissions: readonly string[] } | null,
): string | null {
  const rule = RESTRICTED[page];
  if (rule === undefined || caller === null || caller.permissions.includes(rule.permission)) {
    return null;
  }
  return `Your role (${caller.role}) may not use ${rule.name}. Ask an administrator for a token whose role may.`;
}
