import {
  MIN_FRAME_BITS,
  OCTET_BITS,
  rateDecision,
  type CounterSample,
  type CounterWidth,
  type RateDecision,
} from './counter-math.js';
import type { Inventory } from './inventory.js';

/** What one poll read for one interface. */
export interface PolledInterface {
  readonly ifIndex: number;
  /** 64 when the octets came from ifXTable (ifHC*Octets), 32 from ifTable (if*Octets). */
  readonly width: CounterWidth;
  readonly inOctets?: bigint;
  readonly outOctets?: bigint;
  /** IF-MIB ifIn/OutErrors and ifIn/OutDiscards: packets, Counter32 (ifTable has no 64-bit ones). */
  readonly inErrors?: bigint;
  readonly outErrors?: bigint;
  readonly inDiscards?: bigint;
  readonly outDiscards?: bigint;
  /** IF-MIB ifOperStatus: 1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 notPresent, 7 lowerLayerDown. */
  readonly operStatus?: number;
  /** The speed the agent reports (ifHighSpeed, or ifSpeed), bits per second. */
  readonly speedBps?: number;
}

/** One answered poll of one device. */
export interface DevicePoll {
  readonly device: string;
  /** When the answer arrived, epoch ms. */
  readonly timeMs: number;
  /** sysUpTime.0 in hundredths of a second, when the agent gave it. */
  readonly uptimeTicks?: number;
  readonly interfaces: readonly PolledInterface[];
}

/**
 * One row of the `interface` measurement. Octet counters are the raw readings; rates are present
 * only when the counter math found one, and `quarantined` marks a sample whose octet rate was
 * impossible.
 */
export interface InterfacePoint {
  readonly device: string;
  readonly interface: string;
  readonly ifIndex: number;
  readonly service?: string;
  readonly customer?: string;
  readonly timeMs: number;
  readonly inOctets?: bigint;
  readonly outOctets?: bigint;
  readonly inBps?: number;
  readonly outBps?: number;
  /** Errored and discarded packets per second, from the same counter math as the octets. */
  readonly inErrorsPs?: number;
  readonly outErrorsPs?: number;
  readonly inDiscardsPs?: number;
  readonly outDiscardsPs?: number;
  readonly operStatus?: number;
  readonly quarantined?: true;
}

/** Traffic direction of a counter. */
export type Direction = 'in' | 'out';

/** What a counter counts. */
export type CounterKind = 'octets' | 'errors' | 'discards';

/**
 * Every counter turned into a rate: where its reading is, where its rate goes, and the line bits
 * one count stands for (which bounds a plausible rate).
 */
const RATE_COUNTERS = [
  { kind: 'octets', direction: 'in', reading: 'inOctets', rate: 'inBps', bits: OCTET_BITS },
  { kind: 'octets', direction: 'out', reading: 'outOctets', rate: 'outBps', bits: OCTET_BITS },
  {
    kind: 'errors',
    direction: 'in',
    reading: 'inErrors',
    rate: 'inErrorsPs',
    bits: MIN_FRAME_BITS,
  },
  {
    kind: 'errors',
    direction: 'out',
    reading: 'outErrors',
    rate: 'outErrorsPs',
    bits: MIN_FRAME_BITS,
  },
  {
    kind: 'discards',
    direction: 'in',
    reading: 'inDiscards',
    rate: 'inDiscardsPs',
    bits: MIN_FRAME_BITS,
  },
  {
    kind: 'discards',
    direction: 'out',
    reading: 'outDiscards',
    rate: 'outDiscardsPs',
    bits: MIN_FRAME_BITS,
  },
] as const satisfies readonly {
  kind: CounterKind;
  direction: Direction;
  reading: keyof PolledInterface;
  rate: keyof InterfacePoint;
  bits: number;
}[];

/** The rate fields of a point. */
type RateField = (typeof RATE_COUNTERS)[number]['rate'];

/** The counter math's decision for one counter of one poll, for counting and logs. */
export interface CounterDecision {
  readonly device: string;
  readonly ifIndex: number;
  readonly counter: CounterKind;
  readonly direction: Direction;
  readonly decision: RateDecision;
}

/** The key of one counter's last sample. */
export function counterKey(
  device: string,
  ifIndex: number,
  direction: Direction,
  counter: CounterKind = 'octets',
): string {
  return `${device}\u0000${String(ifIndex)}\u0000${direction}\u0000${counter}`;
}

/**
 * Turns a device poll into points, given each counter's previous sample. Pure: the caller stores
 * the returned samples as the next previous ones. The speed that bounds a plausible rate is the
 * larger of the configured and the reported speed, so a wrong value on either side does not turn
 * real traffic into a glitch. Interfaces that are not configured are ignored.
 */
export function pollToPoints(
  previous: ReadonlyMap<string, CounterSample>,
  poll: DevicePoll,
  inventory: Inventory,
): { points: InterfacePoint[]; samples: [string, CounterSample][]; decisions: CounterDecision[] } {
  const points: InterfacePoint[] = [];
  const samples: [string, CounterSample][] = [];
  const decisions: CounterDecision[] = [];
  for (const polled of poll.interfaces) {
    const configured = inventory.interfaceByIfIndex(poll.device, polled.ifIndex);
    if (configured === undefined) continue;
    const speedBps = Math.max(configured.speedMbps * 1e6, polled.speedBps ?? 0);
    const rates: Partial<Record<RateField, number>> = {};
    let quarantined = false;
    for (const { kind, direction, reading, rate, bits } of RATE_COUNTERS) {
      const value = polled[reading];
      if (value === undefined) continue;
      // Errors and discards are Counter32 whatever width the octets came in.
      const width = kind === 'octets' ? polled.width : 32;
      const key = counterKey(poll.device, polled.ifIndex, direction, kind);
      const sample: CounterSample = {
        timeMs: poll.timeMs,
        value,
        width,
        ...(poll.uptimeTicks === undefined ? {} : { uptimeTicks: poll.uptimeTicks }),
      };
      const decision = rateDecision(previous.get(key), sample, speedBps, bits);
      samples.push([key, sample]);
      decisions.push({
        device: poll.device,
        ifIndex: polled.ifIndex,
        counter: kind,
        direction,
        decision,
      });
      if (decision.kind === 'rate')
        rates[rate] = kind === 'octets' ? decision.rateBps : decision.ratePerS;
      // The flag is the octets' own: billing drops a flagged reading's volume, which an impossible
      // error count says nothing about. An impossible packet rate is only left out.
      if (decision.kind === 'quarantined' && kind === 'octets') quarantined = true;
    }
    if (
      polled.inOctets === undefined &&
      polled.outOctets === undefined &&
      polled.operStatus === undefined
    )
      continue;
    const service = inventory.serviceOn(poll.device, configured.name);
    points.push({
      device: poll.device,
      interface: configured.name,
      ifIndex: polled.ifIndex,
      ...(service === undefined
        ? {}
        : { service: service.serviceId, customer: service.customerId }),
      timeMs: poll.timeMs,
      ...(polled.inOctets === undefined ? {} : { inOctets: polled.inOctets }),
      ...(polled.outOctets === undefined ? {} : { outOctets: polled.outOctets }),
      ...rates,
      ...(polled.operStatus === undefined ? {} : { operStatus: polled.operStatus }),
      ...(quarantined ? { quarantined: true as const } : {}),
    });
  }
  return { points, samples, decisions };
}
