import { describe, expect, it } from 'vitest';
import { mergeTimeline, pageTimelineEntry, type PageRow } from './page-timeline.js';

const row = (over: Partial<PageRow>): PageRow => ({
  at: '2026-12-07T10:00:00.000Z',
  action: 'page',
  step: 0,
  person: 'alice',
  channel: 'webpush',
  status: 'delivered',
  detail: 'push service answered 201',
  ...over,
});

describe('pageTimelineEntry', () => {
  it.each<[string, PageRow, string | undefined]>([
    [
      'a delivered page',
      row({}),
      'page (step 1) to alice by Web Push: delivered (push service answered 201)',
    ],
    [
      'a retried channel',
      row({
        person: null,
        channel: 'teams',
        status: 'retrying',
        detail: 'teams channel t answered 503',
      }),
      'page (step 1) by Teams: retrying (teams channel t answered 503)',
    ],
    [
      'a resolve',
      row({ action: 'resolve', step: null, channel: 'pagerduty', person: null, detail: '' }),
      'resolve by PagerDuty: delivered',
    ],
    [
      'an escalation stopped',
      row({
        action: 'escalation',
        step: 1,
        person: null,
        channel: '',
        status: 'stopped',
        detail: 'escalation stopped: acknowledged',
      }),
      'escalation stopped: acknowledged (step 2)',
    ],
    [
      'an acknowledgement from a notification',
      row({ action: 'acknowledged', step: null, status: 'acknowledged', detail: '' }),
      'acknowledged from Web Push',
    ],
    ['queued rows are left out', row({ status: 'queued' }), undefined],
  ])('%s', (_, given, body) => {
    expect(pageTimelineEntry(given)?.body).toBe(body);
  });

  it('merges with the ticket events by time', () => {
    const merged = mergeTimeline(
      [
        { at: '2026-12-07T09:00:00.000Z', kind: 'created', actor: 'system', body: 'opened' },
        { at: '2026-12-07T11:00:00.000Z', kind: 'resolved', actor: 'system', body: 'resolved' },
      ],
      [row({})],
    );
    expect(merged.map((e) => e.kind)).toEqual(['created', 'page', 'resolved']);
  });
});
