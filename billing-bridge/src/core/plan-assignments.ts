/**
 * The plan assignments of a configured service: its starting `plan` from the beginning of time,
 * then each of its `planChanges` from the first instant of its local day in the customer's time
 * zone (see docs/billing.md, mid-period plan changes). `rateService` turns them into segments.
 */
import type { PricePlan, Service } from '@faultline/shared';
import type { PlanAssignment } from './rating.js';
import { startOfLocalDay } from './time-zone.js';

/**
 * The assignments of `service`, sorted by `fromMs` (config validation keeps changes in strictly
 * increasing date order, so local midnights are increasing too).
 * @throws Error when a plan id is not among `pricePlans` (config validation prevents it).
 */
export function planAssignments(
  service: Pick<Service, 'id' | 'plan' | 'planChanges'>,
  pricePlans: readonly PricePlan[],
  timeZone: string,
): PlanAssignment[] {
  const planOf = (id: string): PricePlan => {
    const plan = pricePlans.find((candidate) => candidate.id === id);
    if (plan === undefined) throw new Error(`service ${service.id}: unknown price plan "${id}"`);
    return plan;
  };
  return [
    { fromMs: Number.NEGATIVE_INFINITY, plan: planOf(service.plan) },
    ...(service.planChanges ?? []).map((change) => {
      const [year = 0, month = 0, day = 0] = change.from.split('-').map(Number);
      return {
        fromMs: startOfLocalDay(timeZone, { year, month, day }),
        plan: change.plan === null ? null : planOf(change.plan),
      };
    }),
  ];
}

/** The plan in force at `atMs` (null: not billed then). */
export function planAt(assignments: readonly PlanAssignment[], atMs: number): PricePlan | null {
  return assignments.findLast((assignment) => assignment.fromMs <= atMs)?.plan ?? null;
}
