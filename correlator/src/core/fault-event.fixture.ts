import type { FaultEvent } from '@faultline/shared';

/** For tests: a major linkDown of core-1 on reduction key `k` at `timeMs`, with any overrides. */
export function faultEvent(
  id: string,
  timeMs: number,
  overrides: Partial<FaultEvent> = {},
): FaultEvent {
  return {
    id,
    source: 'trap',
    device: 'core-1',
    deviceKnown: true,
    type: 'linkDown',
    severity: 'major',
    timeMs,
    reductionKey: 'k',
    description: 'down',
    details: {},
    ...overrides,
  };
}
