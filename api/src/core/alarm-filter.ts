import type { AlarmState } from '@faultline/shared';

/** The `state` filter of `GET /api/alarms`: one alarm state, or a group of them. */
export const ALARM_STATE_FILTERS = ['open', 'active', 'acknowledged', 'cleared', 'all'] as const;

/** The `state` filter of `GET /api/alarms`. */
export type AlarmStateFilter = (typeof ALARM_STATE_FILTERS)[number];

/**
 * The alarm states a filter selects. `open` (the default) is every alarm that is not cleared,
 * acknowledged or not: what a NOC needs to see. The single states match exactly, so `active`
 * means "active and not yet acknowledged".
 */
export function statesFor(filter: AlarmStateFilter): readonly AlarmState[] {
  switch (filter) {
    case 'open':
      return ['active', 'acknowledged'];
    case 'all':
      return ['active', 'acknowledged', 'cleared'];
    default:
      return [filter];
  }
}
