import { describe, expect, it } from 'vitest';
import { headline, impactLine, pagerDutyEvent, slackMessage } from './messages.js';
import { payload } from './paging.fixture.js';

describe('messages', () => {
  it.each([
    ['page', undefined, '[CRITICAL] core-1:xe-0/0/2 down: agg-2 cut off'],
    ['acknowledge', 'alice', 'Acknowledged by alice: core-1:xe-0/0/2 down: agg-2 cut off'],
    ['resolve', undefined, 'Resolved: core-1:xe-0/0/2 down: agg-2 cut off'],
  ] as const)('headline of %s', (action, actor, want) => {
    expect(headline({ action, payload, ...(actor === undefined ? {} : { actor }) })).toBe(want);
  });

  it.each([
    [0, [], 'no customer service down'],
    [1, [{ id: 'acme', name: 'Acme Corp' }], '1 service down for Acme Corp'],
    [
      12,
      Array.from({ length: 12 }, (_, i) => ({ id: `c${String(i)}`, name: `C${String(i)}` })),
      '12 services down for C0, C1, C2, C3, C4, C5, C6, C7, C8, C9 and 2 more',
    ],
  ])('impact of %i services', (impactedServices, customers, want) => {
    expect(impactLine({ ...payload, impactedServices, customers })).toBe(want);
  });

  it('PagerDuty: trigger, acknowledge and resolve share the dedup key', () => {
    const events = (['page', 'acknowledge', 'resolve'] as const).map(
      (action) => pagerDutyEvent({ action, payload }, 'rk') as Record<string, unknown>,
    );
    expect(events.map((e) => [e.event_action, e.dedup_key, e.routing_key])).toEqual([
      ['trigger', 'inc-1', 'rk'],
      ['acknowledge', 'inc-1', 'rk'],
      ['resolve', 'inc-1', 'rk'],
    ]);
    expect(events[0]).toMatchObject({ payload: { severity: 'critical', source: 'faultline' } });
  });

  it('Slack: a fallback text and an Open button to the incident', () => {
    expect(slackMessage({ action: 'page', payload })).toMatchObject({
      text: '[CRITICAL] core-1:xe-0/0/2 down: agg-2 cut off (1 service down for Acme Corp)',
      blocks: [{}, { elements: [{ url: payload.url }] }],
    });
  });
});
