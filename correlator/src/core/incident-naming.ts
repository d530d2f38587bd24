import type { CorrelationAlarm } from './incidents.js';
import { DEVICE_DOWN_TYPES, LINK_DOWN_TYPES } from './topology.js';

/** The incident id for a primary root alarm. */
export function incidentIdFor(primaryAlarmId: string): string {
  return `inc-${primaryAlarmId}`;
}

/** The ticket id of an incident. */
export function ticketIdFor(incidentId: string): string {
  return `tkt-${incidentId.replace(/^inc-/, '')}`;
}

/** A title that names the root cause and what it takes down. */
export function incidentTitle(
  roots: readonly CorrelationAlarm[],
  rootElements: readonly string[],
  cutOff: readonly string[],
): string {
  const named = roots.every((a) => LINK_DOWN_TYPES.has(a.type) || DEVICE_DOWN_TYPES.has(a.type));
  const first = roots[0];
  const cause =
    named && rootElements.length > 0
      ? `${rootElements.length === 1 ? (rootElements[0] ?? '') : `${rootElements.slice(0, -1).join(', ')} and ${rootElements[rootElements.length - 1] ?? ''}`} down`
      : (first?.description ?? 'unknown fault');
  const behind = cutOff.filter((device) => !rootElements.includes(device));
  return behind.length > 0 ? `${cause}: ${behind.join(', ')} cut off` : cause;
}
