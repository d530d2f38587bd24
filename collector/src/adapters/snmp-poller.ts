import snmp from 'net-snmp';
import type { Device, Logger, SnmpUser } from '@faultline/shared';
import type { DevicePoll } from '../core/interface-points.js';
import { nextPollDelayMs, takeOverDelayMs } from '../core/poll-schedule.js';
import { createCounters, type Clock, type Counters } from '../ports.js';
import { pollDevice, type DeviceSession } from './snmp-interface-reads.js';
import { toSnmpUser } from './snmp-users.js';

/** What the poller counts. */
export const POLLER_COUNTER_NAMES = [
  /** Device polls begun. */
  'polls',
  /** Device polls that answered. */
  'succeeded',
  /** Device polls that failed (timeout, error status, closed session). */
  'failed',
  /** Polls not started because the device's previous poll was still running. */
  'skipped',
] as const;
/** A poller counter. */
export type PollerCounterName = (typeof POLLER_COUNTER_NAMES)[number];

export interface SnmpPollerOptions {
  readonly devices: readonly Device[];
  /** SNMPv3 users, for devices polled with `snmp.version: '3'`. */
  readonly users?: readonly SnmpUser[];
  /** Receives each answered poll. Must not throw (a throw is caught and logged). */
  readonly onPoll: (poll: DevicePoll) => void;
  /** Told as each scheduled poll begins (its time, epoch ms). Must not throw. */
  readonly onPollStart?: (device: string, timeMs: number) => void;
  /** Told of each failed scheduled poll (timeout, error), with why. Must not throw. */
  readonly onPollFailed?: (device: string, timeMs: number, reason: string) => void;
  readonly logger: Logger;
  /** Device polls running at once, across all devices. */
  readonly concurrency?: number;
  readonly timeoutMs?: number;
  readonly retries?: number;
  readonly clock?: Clock;
  readonly random?: () => number;
}

export interface SnmpPoller {
  /**
   * Polls exactly the given devices from now on (collectors share the polling): each newly
   * given one first at one interval after its last poll by anyone (`takeOverDelayMs`; the value,
   * epoch ms, undefined when never polled), and none of the others, whose polls in flight finish.
   */
  assign(devices: ReadonlyMap<string, number | undefined>): void;
  /** Stops scheduling, cancels requests in flight and closes the sessions. */
  stop(): Promise<void>;
  /** Polls one device now (outside its schedule) and returns what it read. */
  pollNow(deviceName: string): Promise<DevicePoll>;
  readonly counters: Readonly<Counters<PollerCounterName>>;
}

/**
 * The SNMP poller: one session per device (v1, v2c, or v3 with a configured user), each
 * device on its own interval with jitter, and at most `concurrency` device polls at once. A device
 * whose previous poll still runs when its time comes is skipped, not queued twice.
 */
export function createSnmpPoller(options: SnmpPollerOptions): SnmpPoller {
  const logger = options.logger;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const counters = createCounters(POLLER_COUNTER_NAMES);
  const targets = new Map<string, DeviceSession>();
  const timers = new Map<string, NodeJS.Timeout>();
  const busy = new Set<string>();
  const failing = new Set<string>();
  const waiting: (() => void)[] = [];
  const running = new Set<Promise<unknown>>();
  let active = 0;
  let stopped = false;
  // Read through a function: a check after an await must see a stop that happened meanwhile.
  const isStopped = (): boolean => stopped;

  const acquire = async (): Promise<void> => {
    if (active < concurrency) {
      active += 1;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };

  const targetOf = (device: Device): DeviceSession | undefined => {
    const existing = targets.get(device.name);
    if (existing) return existing;
    const snmpTarget = device.snmp;
    const sessionOptions: snmp.SessionOptions = {
      port: snmpTarget.port ?? 161,
      timeout: options.timeoutMs ?? 3000,
      retries: options.retries ?? 1,
      transport: device.address.includes(':') ? 'udp6' : 'udp4',
    };
    let session: snmp.Session;
    if (snmpTarget.version === '3') {
      // The config check guarantees the user exists; a missing one leaves the device unpolled.
      const user = options.users?.find((u) => u.name === snmpTarget.user);
      if (user === undefined) return undefined;
      session = snmp.createV3Session(device.address, toSnmpUser(user), sessionOptions);
    } else {
      session = snmp.createSession(device.address, snmpTarget.community, {
        ...sessionOptions,
        version: snmpTarget.version === '1' ? snmp.Version1 : snmp.Version2c,
      });
    }
    session.on('error', (error) => {
      logger.error({ err: error, device: device.name }, 'snmp session error');
    });
    const target: DeviceSession = {
      device,
      session,
      version: snmpTarget.version,
      only32Bit: new Set(),
    };
    targets.set(device.name, target);
    return target;
  };

  const pollOnce = async (device: Device): Promise<DevicePoll> => {
    const target = targetOf(device);
    if (target === undefined)
      throw new Error(`device ${device.name} names an SNMPv3 user that is not configured`);
    counters.polls += 1;
    try {
      const poll = await pollDevice(target, clock);
      counters.succeeded += 1;
      if (failing.delete(device.name))
        logger.info({ device: device.name }, 'device answers polls again');
      return poll;
    } catch (error) {
      counters.failed += 1;
      // A stop closes the sessions and so fails the polls in flight: nothing went wrong.
      if (!isStopped() && !failing.has(device.name)) {
        failing.add(device.name);
        // A device that does not answer is an everyday event: one line, no stack trace.
        if (error instanceof snmp.RequestTimedOutError) {
          logger.warn({ device: device.name, reason: error.message }, 'device poll failed');
        } else logger.warn({ err: error, device: device.name }, 'device poll failed');
      }
      throw error;
    }
  };

  const scheduled = async (device: Device): Promise<void> => {
    await acquire();
    try {
      if (isStopped()) return;
      options.onPollStart?.(device.name, clock());
      const poll = await pollOnce(device);
      if (!isStopped()) options.onPoll(poll);
    } catch (error) {
      logger.debug({ err: error, device: device.name }, 'scheduled poll failed');
      if (!isStopped()) {
        options.onPollFailed?.(
          device.name,
          clock(),
          error instanceof Error ? error.message : String(error),
        );
      }
    } finally {
      release();
      busy.delete(device.name);
    }
  };

  const schedule = (device: Device, delayMs: number): void => {
    const intervalMs = device.pollIntervalS * 1000;
    timers.set(
      device.name,
      setTimeout(() => {
        if (stopped) return;
        schedule(device, nextPollDelayMs(intervalMs, random()));
        if (busy.has(device.name)) {
          counters.skipped += 1;
          return;
        }
        busy.add(device.name);
        const run = scheduled(device);
        running.add(run);
        void run.finally(() => running.delete(run));
      }, delayMs),
    );
  };

  return {
    counters,
    assign(devices) {
      if (stopped) return;
      for (const [name, timer] of timers) {
        if (devices.has(name)) continue;
        clearTimeout(timer);
        timers.delete(name);
      }
      const now = clock();
      for (const device of options.devices) {
        if (timers.has(device.name) || !devices.has(device.name)) continue;
        const intervalMs = device.pollIntervalS * 1000;
        schedule(device, takeOverDelayMs(intervalMs, devices.get(device.name), now, random()));
      }
    },
    async stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      // Closing a session fails its outstanding requests at once ("Socket forcibly closed").
      for (const target of targets.values()) target.session.close();
      targets.clear();
      for (const resolve of waiting.splice(0)) resolve();
      await Promise.allSettled([...running]);
    },
    async pollNow(deviceName) {
      const device = options.devices.find((d) => d.name === deviceName);
      if (device === undefined) throw new Error(`unknown device ${deviceName}`);
      return pollOnce(device);
    },
  };
}
