import type { Role } from '@faultline/shared';

/**
 * What a caller may do. Routes and socket.io namespaces declare the one permission they need;
 * roles grant sets of permissions.
 */
export type Permission =
  | 'alarms:read'
  | 'incidents:read'
  | 'inventory:read'
  | 'live:subscribe'
  | 'alarms:acknowledge'
  | 'incidents:act'
  | 'oncall:read'
  | 'oncall:override'
  | 'paging:subscribe'
  | 'billing:read'
  | 'billing:run'
  | 'billing:approve'
  | 'care:read'
  | 'status-links:manage'
  | 'metrics:read'
  | 'admin';

/** Every permission, for tables and documentation. */
export const PERMISSIONS: readonly Permission[] = [
  'alarms:read',
  'incidents:read',
  'inventory:read',
  'live:subscribe',
  'alarms:acknowledge',
  'incidents:act',
  'oncall:read',
  'oncall:override',
  'paging:subscribe',
  'billing:read',
  'billing:run',
  'billing:approve',
  'care:read',
  'status-links:manage',
  'metrics:read',
  'admin',
];

const VIEWER: readonly Permission[] = [
  'alarms:read',
  'incidents:read',
  'inventory:read',
  'live:subscribe',
  'oncall:read',
];

/**
 * Roles form a small lattice: viewer < engineer, viewer < billing, and admin above both; metrics
 * (a Prometheus scrape token) holds `metrics:read` only, which admin holds too.
 * Engineers act on alarms and incidents, billing reads money; neither gets the other's rights.
 * `billing:approve` (release held lines, manual adjustments) is its own permission so that a
 * deployment can split it from running bills when a second role is added.
 * Care (customer-facing staff) reads one customer at a time through the care desk and makes and
 * revokes status links; it holds none of the viewer's network-wide reads.
 */
const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  metrics: ['metrics:read'],
  viewer: VIEWER,
  engineer: [
    ...VIEWER,
    'alarms:acknowledge',
    'incidents:act',
    'oncall:override',
    'paging:subscribe',
  ],
  billing: [...VIEWER, 'billing:read', 'billing:run', 'billing:approve'],
  care: ['care:read', 'status-links:manage'],
  admin: PERMISSIONS,
};

/** The outcome of an authorization check; a denial says why, for the 403 message. */
export type Authorization =
  { readonly allowed: true } | { readonly allowed: false; readonly reason: string };

/** Decides whether a role holds a permission. */
export function authorize(role: Role, permission: Permission): Authorization {
  if (GRANTS[role].includes(permission)) return { allowed: true };
  return { allowed: false, reason: `role "${role}" lacks permission "${permission}"` };
}
