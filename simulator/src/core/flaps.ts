import type { Config } from '@faultline/shared';

/** One interface of one device, by names. */
export interface PortRef {
  readonly device: string;
  readonly ifName: string;
}

/** The next random flap: which port goes down, after how long, and for how long. */
export interface FlapPlan {
  readonly port: PortRef;
  readonly delayMs: number;
  readonly downForMs: number;
}

/**
 * The ports a demo may flap: customer-facing ports of access devices, i.e. their interfaces that
 * no configured link uses (uplinks are in links). Flapping those shows one customer alarm without
 * taking a part of the network down. Falls back to every unlinked interface, then to all.
 */
export function flappablePorts(config: Pick<Config, 'devices' | 'links'>): PortRef[] {
  const linked = new Set(
    config.links.flatMap((l) => [
      `${l.a.device}\u0000${l.a.interface}`,
      `${l.b.device}\u0000${l.b.interface}`,
    ]),
  );
  const all = config.devices.flatMap((d) =>
    d.interfaces.map((i) => ({ port: { device: d.name, ifName: i.name }, kind: d.kind })),
  );
  const unlinked = all.filter((p) => !linked.has(`${p.port.device}\u0000${p.port.ifName}`));
  const access = unlinked.filter((p) => p.kind === 'access');
  const chosen = access.length > 0 ? access : unlinked.length > 0 ? unlinked : all;
  return chosen.map((p) => p.port);
}

/**
 * Plans the next flap from three uniform draws in [0, 1): the wait is exponential with mean
 * `meanIntervalMs` (flaps arrive as a Poisson process), the port is uniform over `candidates`, and
 * the outage lasts between a quarter and three quarters of the mean interval. Returns undefined
 * when there is no candidate (every flappable port is already down).
 */
export function planFlap(
  candidates: readonly PortRef[],
  meanIntervalMs: number,
  draws: readonly [number, number, number],
): FlapPlan | undefined {
  const [waitDraw, portDraw, lengthDraw] = draws;
  const port =
    candidates[Math.min(candidates.length - 1, Math.floor(portDraw * candidates.length))];
  if (port === undefined) return undefined;
  const delayMs = Math.max(
    1,
    Math.round(-Math.log(1 - Math.min(waitDraw, 0.999_999)) * meanIntervalMs),
  );
  const downForMs = Math.max(1, Math.round(meanIntervalMs * (0.25 + 0.5 * lengthDraw)));
  return { port, delayMs, downForMs };
}
