import { Type, type Static } from '@sinclair/typebox';

/**
 * Alarm severities, lowest to highest, after ITU X.733 and OpenNMS. `cleared` marks an event that
 * ends a problem; `normal` an informational event that needs nobody.
 */
export const SEVERITIES = [
  'cleared',
  'normal',
  'indeterminate',
  'warning',
  'minor',
  'major',
  'critical',
] as const;

/** Schema of one severity. */
export const SeveritySchema = Type.Union(SEVERITIES.map((severity) => Type.Literal(severity)));

/** One severity. */
export type Severity = Static<typeof SeveritySchema>;

/** Rank of a severity for comparison: higher is worse. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The worse of two severities. */
export function worseSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}
