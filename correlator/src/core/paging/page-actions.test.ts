import { describe, expect, it } from 'vitest';
import type { IncidentChangeKind } from '@faultline/shared';
import { incident } from './paging.fixture.js';
import { pageActionOf } from './page-actions.js';

describe('pageActionOf', () => {
  it.each<[IncidentChangeKind, string | undefined]>([
    ['opened', 'page'],
    ['acknowledged', 'acknowledge'],
    ['resolved', 'resolve'],
    // Not yet: the re-page of an acknowledged incident turned critical decides here.
    ['updated', undefined],
  ])('%s → %s', (kind, action) => {
    expect(pageActionOf({ kind, incident })).toBe(action);
  });
});
