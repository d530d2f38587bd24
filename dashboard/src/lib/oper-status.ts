import type { OperStatus } from '@faultline/shared/network-view';

/** An interface status for people, never by colour alone: `▲ Up`, `▼ Down`, `? Not polled`. */
export function operStatusLook(status: OperStatus | null): { text: string; className: string } {
  if (status === null) return { text: '? Not polled', className: 'oper-unknown' };
  if (status === 'up') return { text: '▲ Up', className: 'oper-up' };
  const words: Record<Exclude<OperStatus, 'up'>, string> = {
    down: 'Down',
    testing: 'Testing',
    unknown: 'Unknown',
    dormant: 'Dormant',
    notPresent: 'Not present',
    lowerLayerDown: 'Lower layer down',
  };
  return { text: `▼ ${words[status]}`, className: 'oper-down' };
}

/** A customer service as people name it: `Initech: Office internet` (the id without names). */
export function serviceLabel(service: {
  readonly customerName: string | null;
  readonly customerId: string;
  readonly description: string | null;
  readonly serviceId: string;
}): string {
  return `${service.customerName ?? service.customerId}: ${service.description ?? service.serviceId}`;
}
