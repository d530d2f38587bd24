import type { EscalationPolicy, IncidentState, PageTarget } from '@faultline/shared';

/**
 * One step of an escalation. Steps count levels across rounds: with 2 levels and `repeat: 1`,
 * steps 0..3 are level 1, level 2, level 1, level 2.
 */
export type EscalationDecision =
  | {
      readonly kind: 'page';
      /** 0-based level and round. */
      readonly level: number;
      readonly round: number;
      readonly targets: readonly PageTarget[];
      /** The step to run if nobody acknowledges within `afterMs`; absent after the last. */
      readonly next?: { readonly step: number; readonly afterMs: number };
    }
  | {
      readonly kind: 'stop';
      readonly reason: 'acknowledged' | 'resolved' | 'exhausted' | 'unknown incident';
    };

/**
 * What step `step` of `policy` does for an incident in `state` (read when the step is due, so an
 * acknowledgement made meanwhile stops it): page the level's targets and say when the next step
 * is due, or stop. Pure.
 */
export function escalationStep(
  policy: EscalationPolicy,
  step: number,
  state: IncidentState | undefined,
): EscalationDecision {
  if (state === undefined) return { kind: 'stop', reason: 'unknown incident' };
  if (state === 'acknowledged') return { kind: 'stop', reason: 'acknowledged' };
  if (state === 'resolved') return { kind: 'stop', reason: 'resolved' };
  const levels = policy.levels.length;
  const steps = levels * (policy.repeat + 1);
  const current = policy.levels[step % levels];
  if (step < 0 || step >= steps || current === undefined)
    return { kind: 'stop', reason: 'exhausted' };
  return {
    kind: 'page',
    level: step % levels,
    round: Math.floor(step / levels),
    targets: current.targets,
    ...(step + 1 < steps
      ? { next: { step: step + 1, afterMs: Math.round(current.escalateAfterMin * 60_000) } }
      : {}),
  };
}
