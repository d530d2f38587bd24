import { describe, expect, it } from 'vitest';
import type { IncidentChangeKind } from '@faultline/shared';
import { incident } from './paging.fixture.js';
import { pageActionOf } from './page-actions.js';

describe('pageActionOf', () => {
  it.each<[IncidentChangeKind, string | undefined]>([
    ['opened', 'page'],
    ['acknowledged', 'acknowledge'],
    ['resolved', 'resolve'],
    ['updated', undefined],
  ])('%s → %s', (kind, action) => {
    expect(pageActionOf({ kind, incident })).toBe(action);
  });

  it('an update marked as a re-page pages again', () => {
    expect(pageActionOf({ kind: 'updated', incident, repage: true })).toBe('repage');
    expect(pageActionOf({ kind: 'updated', incident, repage: false })).toBe(undefined);
  });
});
