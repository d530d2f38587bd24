import type {
  ApprovedTopology,
  DiscoveryProgressRecord,
  DiscoveryRunRecord,
  TopologyChange,
} from '@faultline/shared';

/** `GET /api/discovery` as the admin page reads it. */
export interface DiscoveryView {
  readonly configured: boolean;
  readonly progress: DiscoveryProgressRecord | null;
  readonly run: DiscoveryRunRecord | null;
  readonly proposal: readonly TopologyChange[];
  readonly approved: ApprovedTopology | null;
}

/** A run's progress in words: "probed 120 of 1,024 addresses, 97 devices found". */
export function progressText(progress: DiscoveryProgressRecord): string {
  const n = (value: number): string => value.toLocaleString('en-US');
  const state = progress.finishedAt === null ? 'running' : 'finished';
  const failed = progress.failed > 0 ? `, ${n(progress.failed)} failed` : '';
  return `${state} (${progress.trigger}): probed ${n(progress.probed)} of ${n(progress.total)} addresses, ${n(progress.found)} devices found${failed}`;
}

/** Whether a run is under way, so the page keeps reading its progress. */
export function isRunning(view: DiscoveryView | null): boolean {
  return view?.progress?.finishedAt === null;
}
