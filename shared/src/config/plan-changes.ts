import type { Problem } from '../validate.js';
import type { PlanChange } from './schema.js';

/** The earliest and latest years a plan change may name: anything else is a typo. */
export const PLAN_CHANGE_YEARS = { min: 2000, max: 2100 } as const;

/** True when `YYYY-MM-DD` names a day that exists (no 2026-02-30), within `PLAN_CHANGE_YEARS`. */
function dateProblem(date: string): string | null {
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
  if (year < PLAN_CHANGE_YEARS.min || year > PLAN_CHANGE_YEARS.max) {
    return `year ${String(year)} is outside ${String(PLAN_CHANGE_YEARS.min)}..${String(PLAN_CHANGE_YEARS.max)}`;
  }
  const calendar = new Date(Date.UTC(year, month - 1, day));
  if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
    return `"${date}" is not a calendar date`;
  }
  return null;
}

/**
 * The plan changes of one service: each date a real day in sensible years, strictly after the one
 * before (unsorted or repeated dates would make the plan in force ambiguous), each plan known.
 * @param path the path of the `planChanges` list, e.g. `customers.0.services.1.planChanges`.
 */
export function planChangeProblems(
  changes: readonly PlanChange[],
  path: string,
  planIds: ReadonlySet<string>,
): Problem[] {
  const problems: Problem[] = [];
  changes.forEach((change, index) => {
    const at = `${path}.${String(index)}`;
    const problem = dateProblem(change.from);
    if (problem !== null) problems.push({ path: `${at}.from`, message: problem });
    const before = changes[index - 1];
    // Dates in YYYY-MM-DD order as strings do in time.
    if (before !== undefined && change.from <= before.from) {
      problems.push({
        path: `${at}.from`,
        message: `${change.from} must be after the change before it (${before.from}): changes are in increasing date order, one per day`,
      });
    }
    if (change.plan !== null && !planIds.has(change.plan)) {
      problems.push({ path: `${at}.plan`, message: `unknown price plan "${change.plan}"` });
    }
  });
  return problems;
}
