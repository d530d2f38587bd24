import { createSocket, type Socket } from 'node:dgram';
import {
  encodeTrapPacket,
  setRequestId,
  type TrapPacket,
  type TrapPacketSpec,
} from '../core/trap-packet.js';
import {
  STORM_MAX_BURST,
  stormDeadlineMs,
  stormDue,
  stormNextDueMs,
  type StormPlan,
} from '../core/storm.js';

/** What a storm sends, from where, to where, how fast. */
export interface TrapStormOptions extends StormPlan {
  /** The device address the traps come from (bound as the sockets' source address). */
  readonly sourceAddress: string;
  readonly target: { readonly host: string; readonly port: number };
  /**
   * The trap to repeat: a spec to encode, or bytes already encoded (e.g. captured from another
   * sender) whose four request-id content bytes sit at `requestIdOffset`.
   */
  readonly packet: TrapPacketSpec | TrapPacket;
  /** UDP sockets to spread the storm over (default 4). */
  readonly sockets?: number;
  /** Stops the storm early when aborted. */
  readonly signal?: AbortSignal;
}

/** What a storm did. */
export interface TrapStormResult {
  readonly sent: number;
  readonly failed: number;
  readonly elapsedMs: number;
  /** Why it ended: all sent, aborted, or out of time (the rate could not be held). */
  readonly ended: 'done' | 'aborted' | 'deadline';
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/**
 * Sends a bounded, rate-controlled storm of one SNMPv2c trap to a loopback target. The packet is
 * encoded once; each send patches only its request-id. Sends go out in bursts on a timer (as many
 * as the rate allows by then), round-robin over a few sockets, and the next burst waits until the
 * kernel has taken the previous one, so memory stays bounded whatever the rate. Loopback only:
 * a storm is a load test, never something to point at a real network.
 */
export async function sendTrapStorm(options: TrapStormOptions): Promise<TrapStormResult> {
  if (!LOOPBACK.test(options.target.host) || !LOOPBACK.test(options.sourceAddress)) {
    throw new Error('a trap storm only goes from and to loopback addresses');
  }
  const transport = options.target.host.includes(':') ? 'udp6' : 'udp4';
  const sockets: Socket[] = [];
  try {
    for (let n = 0; n < Math.max(1, options.sockets ?? 4); n++) {
      const socket = createSocket({ type: transport, sendBufferSize: 4 * 1024 * 1024 });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, options.sourceAddress, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      // A failed send is counted in its callback; this only keeps a socket error from crashing.
      socket.on('error', () => undefined);
      socket.connect(options.target.port, options.target.host);
      await new Promise<void>((resolve) => socket.once('connect', resolve));
    }
    return await storm(options, sockets);
  } finally {
    for (const socket of sockets) {
      try {
        socket.close();
      } catch {
        // Already closed after an error.
      }
    }
  }
}

/** Buffers in rotation; at most half of them are in flight, so none is patched while queued. */
const POOL_SIZE = 4 * STORM_MAX_BURST;
const MAX_IN_FLIGHT = POOL_SIZE / 2;

async function storm(
  options: TrapStormOptions,
  sockets: readonly Socket[],
): Promise<TrapStormResult> {
  const plan: StormPlan = { ratePerS: options.ratePerS, count: options.count };
  const packet = 'bytes' in options.packet ? options.packet : encodeTrapPacket(options.packet);
  // Node hands a datagram's buffer to the kernel asynchronously: a buffer is patched again only
  // after its send completed, which the in-flight bound guarantees.
  const pool = Array.from({ length: POOL_SIZE }, () => Buffer.from(packet.bytes));
  const startMs = performance.now();
  const deadlineMs = stormDeadlineMs(plan);
  let sent = 0;
  let failed = 0;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const onSent = (error: Error | null): void => {
    inFlight--;
    if (error) failed++;
    if (drained !== undefined && inFlight <= MAX_IN_FLIGHT / 2) {
      const resume = drained;
      drained = undefined;
      resume();
    }
  };
  const result = async (ended: TrapStormResult['ended']): Promise<TrapStormResult> => {
    if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
    while (inFlight > 0) await new Promise((resolve) => setImmediate(resolve));
    return {
      sent: sent - failed,
      failed,
      elapsedMs: Math.round(performance.now() - startMs),
      ended,
    };
  };
  for (;;) {
    if (options.signal?.aborted === true) return result('aborted');
    const elapsed = performance.now() - startMs;
    if (sent >= plan.count) return result('done');
    if (elapsed > deadlineMs) return result('deadline');
    const due = stormDue(plan, elapsed, sent);
    if (due === 0) {
      const waitMs = stormNextDueMs(plan, sent) - elapsed;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, waitMs)));
      continue;
    }
    for (let k = 0; k < due; k++) {
      const n = sent + k;
      const buffer = pool[n % POOL_SIZE] ?? Buffer.from(packet.bytes);
      setRequestId({ bytes: buffer, requestIdOffset: packet.requestIdOffset }, n);
      inFlight++;
      sockets[n % sockets.length]?.send(buffer, onSent);
    }
    sent += due;
    // Yield so completions (and a receiver in this process) run; wait when the kernel lags.
    if (inFlight > MAX_IN_FLIGHT) await new Promise<void>((resolve) => (drained = resolve));
    else await new Promise((resolve) => setImmediate(resolve));
  }
}
