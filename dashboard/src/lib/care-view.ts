/**
 * What the care desk and a customer's status page show of the api's answers (docs/api.md, "Care
 * desk and status links").
 */
import type { ServiceState } from '@faultline/shared';

/** How a service state reads: never by colour alone, with a word and an icon too. */
export const STATE_LOOKS: Readonly<Record<ServiceState, { label: string; icon: string }>> = {
  up: { label: 'Up', icon: '●' },
  degraded: { label: 'Degraded', icon: '◐' },
  down: { label: 'Down', icon: '▼' },
  maintenance: { label: 'In maintenance', icon: '⚙' },
};

/** The token of a status link from the page's address fragment (`/status#<token>`), or null. */
export function linkTokenFrom(hash: string): string | null {
  const token = decodeURIComponent(hash.replace(/^#/, '')).trim();
  return token === '' ? null : token;
}

/** The overall line of a status page: the worst state among the services. */
export function overallState(states: readonly ServiceState[]): ServiceState {
  const order: readonly ServiceState[] = ['down', 'degraded', 'maintenance'];
  return order.find((state) => states.includes(state)) ?? 'up';
}

/** A time as people read it on a status page: "7 Dec, 03:20 UTC" in the viewer's zone. */
export function noteTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
}

/** A service's name for people: its description, else its id. */
export function serviceName(
  services: readonly { readonly serviceId: string; readonly description: string | null }[],
  serviceId: string,
): string {
  return services.find((service) => service.serviceId === serviceId)?.description ?? serviceId;
}
