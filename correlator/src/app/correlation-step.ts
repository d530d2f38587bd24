import type { MaintenanceWindow } from '@faultline/shared';
import { planCorrelation } from '../core/incidents.js';
import type { AlarmPolicy } from '../core/incident-policy.js';
import { jobsForChanges } from '../core/jobs.js';
import { maintenanceAt } from '../core/maintenance.js';
import type { SymptomMatcher, Topology } from '../core/topology.js';
import type { CorrelationStep, CorrelationStore } from '../ports.js';

/** What the correlation step needs. */
export interface CorrelationStepDeps {
  readonly store: CorrelationStore;
  /** The topology in use now (the config's beside the approved one; may change between steps). */
  readonly topology: () => Promise<Topology>;
  readonly holdMs: number;
  /** Names of the configured webhook targets: each gets a push per opened and resolved incident. */
  readonly webhookTargets: readonly string[];
  /** The configured maintenance windows. */
  readonly maintenance: readonly MaintenanceWindow[];
  /** Raises of one key within `flapWindowMs` that make it flapping. */
  readonly flapCount: number;
  readonly flapWindowMs: number;
  /** Which alarms open incidents and page. */
  readonly policy: AlarmPolicy;
  /** What failed links and devices explain. */
  readonly explains: SymptomMatcher;
  /** How long symptoms recover under their incident after its root cleared. */
  readonly recoveryMs: number;
}

/**
 * One correlation step: under the store's lock, load the open alarms, incidents and outages, plan
 * (`planCorrelation`), write the plan with the jobs of its announcements, and housekeep
 * (reminders, auto-clean), all in one transaction. A step that finds the lock taken is skipped.
 */
export function createCorrelationStep(deps: CorrelationStepDeps): () => Promise<CorrelationStep> {
  return async () => {
    const topology = await deps.topology();
    const outcome = await deps.store.inLock(async (tx) => {
      const stored = await tx.load();
      const { nowMs } = stored;
      const plan = planCorrelation({
        ...stored,
        topology,
        holdMs: deps.holdMs,
        maintenance: maintenanceAt(deps.maintenance, nowMs),
        policy: deps.policy,
        explains: deps.explains,
        flapCount: deps.flapCount,
        flapWindowMs: deps.flapWindowMs,
        recoveryMs: deps.recoveryMs,
      });
      const annotatedAlarms = await tx.write(
        plan,
        jobsForChanges(plan.announcements, deps.webhookTargets),
        nowMs,
      );
      await tx.housekeep(nowMs);
      return { skipped: false, plan, annotatedAlarms, changes: plan.changes };
    });
    return outcome.skipped
      ? { skipped: true, plan: undefined, annotatedAlarms: [], changes: [] }
      : outcome.value;
  };
}
