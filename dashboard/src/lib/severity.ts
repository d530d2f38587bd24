import type { Severity } from '@faultline/shared';

/** How a severity is shown: never by colour alone, always with a label and an icon too. */
export interface SeverityLook {
  readonly label: string;
  readonly icon: string;
  /** Higher is worse; the table sorts by it. */
  readonly rank: number;
}

/** One entry per severity; the `Record` type makes a new severity fail the typecheck here. */
export const SEVERITY_LOOKS: Readonly<Record<Severity, SeverityLook>> = {
  critical: { label: 'Critical', icon: '⬣', rank: 6 },
  major: { label: 'Major', icon: '▲', rank: 5 },
  minor: { label: 'Minor', icon: '◆', rank: 4 },
  warning: { label: 'Warning', icon: '!', rank: 3 },
  indeterminate: { label: 'Indeterminate', icon: '?', rank: 2 },
  normal: { label: 'Normal', icon: 'i', rank: 1 },
  cleared: { label: 'Cleared', icon: '✓', rank: 0 },
};

/** The severities a NOC counts, worst first. */
export const COUNTED_SEVERITIES: readonly Severity[] = [
  'critical',
  'major',
  'minor',
  'warning',
  'indeterminate',
];
