import { severityRank, type IncidentPolicy, type Severity } from '@faultline/shared';

/** Which alarms open incidents (ticket, page) and when an acknowledged incident pages again. */
export interface AlarmPolicy {
  /** True when an alarm of this type and severity may open an incident; else it is recorded only. */
  pages(alarm: { readonly type: string; readonly severity: Severity }): boolean;
  /** An acknowledged incident that becomes at least this severe pages again. */
  readonly repageOn: Severity;
}

/** The policy of the config's `correlation.policy`. */
export function alarmPolicy(policy: IncidentPolicy): AlarmPolicy {
  const recordOnly = new Set(policy.recordOnly);
  const pageFrom = severityRank(policy.pageFrom);
  return {
    pages: (alarm) => !recordOnly.has(alarm.type) && severityRank(alarm.severity) >= pageFrom,
    repageOn: policy.repageOn,
  };
}

/** Every alarm pages, and only a critical one pages again: the policy when none is given. */
export const PAGE_EVERYTHING: AlarmPolicy = { pages: () => true, repageOn: 'critical' };
