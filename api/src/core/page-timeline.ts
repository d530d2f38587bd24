import type { TimelineEntry } from '@faultline/shared';

/** One row of the `pages` table, as the incident page shows it. */
export interface PageRow {
  readonly at: string;
  readonly action: string;
  readonly step: number | null;
  readonly person: string | null;
  readonly channel: string;
  readonly status: string;
  readonly detail: string;
}

const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  webpush: 'Web Push',
  email: 'e-mail',
  slack: 'Slack',
  teams: 'Teams',
  pagerduty: 'PagerDuty',
  webhook: 'webhook',
};

/**
 * A paging record as a timeline entry (kind `page`): who, which channel, which escalation level,
 * and how it went, e.g. "page (level 1) to alice by Web Push: delivered (push service answered
 * 201)". Queued rows are left out (their outcome follows). Pure.
 */
export function pageTimelineEntry(row: PageRow): TimelineEntry | undefined {
  if (row.status === 'queued') return undefined;
  const channel = CHANNEL_NAMES[row.channel] ?? row.channel;
  const level = row.step === null ? '' : ` (step ${String(row.step + 1)})`;
  const detail = row.detail === '' ? '' : ` (${row.detail})`;
  let body: string;
  if (row.action === 'acknowledged') body = `acknowledged from ${channel}`;
  else if (row.action === 'escalation') body = `${row.detail}${level}`;
  else {
    const to = row.person === null ? '' : ` to ${row.person}`;
    body = `${row.action}${level}${to} by ${channel}: ${row.status}${detail}`;
  }
  return { at: row.at, kind: 'page', actor: row.person ?? 'paging', body };
}

/** Ticket events and paging records in one timeline, oldest first (stable for equal times). */
export function mergeTimeline(
  ticket: readonly TimelineEntry[],
  pages: readonly PageRow[],
): TimelineEntry[] {
  const paged = pages.flatMap((row) => pageTimelineEntry(row) ?? []);
  return [...ticket, ...paged].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
