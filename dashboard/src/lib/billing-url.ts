/**
 * The billing page's selection lives in its address, so a link shows the same runs and run, and
 * back/forward step through what was looked at: `/billing?period=2026-04&customer=acme&run=…`,
 * plus `job=` while a requested run is followed.
 */

/** What the billing page shows. Empty filters show every period or customer. */
export interface BillingSelection {
  readonly period: string;
  readonly customer: string;
  /** The run whose lines and evidence are shown. */
  readonly run: string | null;
  /** The billing job being followed. */
  readonly job: string | null;
}

const KEYS = ['period', 'customer', 'run', 'job'] as const;

/** The selection a query string asks for (unknown parameters are ignored). */
export function readBillingSelection(search: string): BillingSelection {
  const params = new URLSearchParams(search);
  const text = (key: string): string => params.get(key)?.trim() ?? '';
  const optional = (key: string): string | null => (text(key) === '' ? null : text(key));
  return {
    period: text('period'),
    customer: text('customer'),
    run: optional('run'),
    job: optional('job'),
  };
}

/**
 * The query string after `changes` (`?…`, or '' when nothing is left): parameters that are not the
 * billing page's (a wall's rotation) are kept; empty or null values are dropped.
 */
export function billingSearch(search: string, changes: Partial<BillingSelection>): string {
  const params = new URLSearchParams(search);
  for (const key of KEYS) {
    if (!(key in changes)) continue;
    const value = changes[key];
    if (value === null || value === undefined || value === '') params.delete(key);
    else params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
