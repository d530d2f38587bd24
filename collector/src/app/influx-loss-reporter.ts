import type { Logger } from '@faultline/shared';
import { influxLossEvent } from '../core/influx-loss-event.js';
import type { Clock, EventSink } from '../ports.js';

/** Lost InfluxDB points → `influxWriteLoss` self-events, at most one per interval. */
export interface InfluxLossReporter {
  lost(points: number, reason: string): void;
  /** Sends what is pending now and stops the timer (call before the events queue closes). */
  stop(): void;
  readonly counters: { events: number; lostPoints: number };
}

/** Default: at most one `influxWriteLoss` event per 5 minutes. */
export const INFLUX_LOSS_EVENT_INTERVAL_MS = 5 * 60_000;

/**
 * The first loss is reported at once; losses within the interval after an event are summed and
 * reported when it is over (by a timer), so every lost point is in some event and an outage that
 * keeps losing costs one event per interval.
 */
export function createInfluxLossReporter(deps: {
  readonly sink: EventSink;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly server: string;
  readonly database: string;
  readonly logger: Logger;
  readonly intervalMs?: number;
}): InfluxLossReporter {
  const intervalMs = deps.intervalMs ?? INFLUX_LOSS_EVENT_INTERVAL_MS;
  const counters = { events: 0, lostPoints: 0 };
  let pending = 0;
  let reasons = new Set<string>();
  let lastSentMs: number | undefined;
  let timer: NodeJS.Timeout | undefined;

  const send = (): void => {
    timer = undefined;
    if (pending === 0) return;
    const nowMs = deps.clock();
    const event = influxLossEvent({
      id: deps.newId(),
      timeMs: nowMs,
      server: deps.server,
      database: deps.database,
      lostPoints: pending,
      totalLostPoints: counters.lostPoints,
      reasons: [...reasons],
    });
    deps.logger.error(
      { lostPoints: pending, reasons: [...reasons], totalLostPoints: counters.lostPoints },
      'influx points lost',
    );
    pending = 0;
    reasons = new Set();
    lastSentMs = nowMs;
    counters.events += 1;
    deps.sink.enqueue(event);
  };

  return {
    counters,
    lost(points, reason) {
      if (points <= 0) return;
      pending += points;
      counters.lostPoints += points;
      reasons.add(reason);
      const nowMs = deps.clock();
      if (lastSentMs === undefined || nowMs - lastSentMs >= intervalMs) {
        if (timer !== undefined) clearTimeout(timer);
        send();
      } else {
        timer ??= setTimeout(send, lastSentMs + intervalMs - nowMs);
      }
    },
    stop() {
      if (timer !== undefined) clearTimeout(timer);
      send();
    },
  };
}
