import {
  onCallAt,
  type Override,
  type PageTarget,
  type PagingChannel,
  type Rotation,
} from '@faultline/shared';

/**
 * Where one page goes. A person is reached through each browser they subscribed (Web Push) and
 * their e-mail address; a team channel directly.
 */
export type Destination =
  | { readonly kind: 'webpush'; readonly person: string; readonly subscriptionId: string }
  | { readonly kind: 'email'; readonly person: string | null; readonly address: string }
  | { readonly kind: 'channel'; readonly channel: string; readonly type: PagingChannel['type'] };

/** Who a level's targets name at one instant. */
export interface ResolvedTargets {
  /** People to reach, each once, with the rotation that named them (if one did). */
  readonly people: readonly { readonly person: string; readonly rotation: string | null }[];
  /** Team channels, each once. */
  readonly channels: readonly string[];
  /** Rotations with nobody on call at that instant (before their first turn). */
  readonly unstaffed: readonly string[];
}

/** The people and channels of a level's targets at `atMs`: a rotation names its on-call. Pure. */
export function resolveTargets(
  targets: readonly PageTarget[],
  rotations: readonly Rotation[],
  overrides: readonly Override[],
  atMs: number,
): ResolvedTargets {
  const people = new Map<string, string | null>();
  const channels = new Set<string>();
  const unstaffed: string[] = [];
  for (const target of targets) {
    if ('channel' in target) channels.add(target.channel);
    else if ('person' in target) {
      if (!people.has(target.person)) people.set(target.person, null);
    } else {
      const rotation = rotations.find((r) => r.name === target.rotation);
      const segment = rotation && onCallAt(rotation, overrides, atMs);
      if (segment === undefined) unstaffed.push(target.rotation);
      else if (!people.has(segment.person)) people.set(segment.person, target.rotation);
    }
  }
  return {
    people: [...people].map(([person, rotation]) => ({ person, rotation })),
    channels: [...channels],
    unstaffed,
  };
}

/** A short stable name of a destination, for job ids and the timeline (no secrets, no ':'). */
export function destinationKey(destination: Destination): string {
  switch (destination.kind) {
    case 'webpush':
      return `webpush-${destination.person}-${destination.subscriptionId}`;
    case 'email':
      return `email-${destination.person ?? destination.address}`;
    case 'channel':
      return `channel-${destination.channel}`;
  }
}

/**
 * Which of the destinations paged for an incident hear of a follow-up: a resolve reaches every
 * one; an acknowledgement only the channels that track it (PagerDuty closes the loop on its side,
 * a webhook receiver may too). Pure.
 */
export function followUpDestinations(
  action: 'acknowledge' | 'resolve',
  paged: readonly Destination[],
): Destination[] {
  if (action === 'resolve') return [...paged];
  return paged.filter(
    (d) => d.kind === 'channel' && (d.type === 'pagerduty' || d.type === 'webhook'),
  );
}
