import type { Logger } from '@faultline/shared';
import type { Inventory } from '../core/inventory.js';
import {
  TELEMETRY_INVALID_REASONS,
  decodeTelemetry,
  type TelemetryInvalidReason,
  type TelemetryPoint,
} from '../core/telemetry-message.js';
import {
  createCounters,
  type Clock,
  type Counters,
  type DeadLetterStore,
  type MetricsWriter,
} from '../ports.js';
import { createRateLimiter } from './rate-limiter.js';

/** What the telemetry pipeline counts, besides invalid messages by reason. */
export const TELEMETRY_COUNTER_NAMES = [
  /** Messages received. */
  'messages',
  /** Readings handed to the writer. */
  'points',
  /** Invalid messages stored in the dead-letter list. */
  'deadLettered',
  /** Invalid messages the dead-letter list could not take (Redis down). */
  'deadLetterErrors',
] as const;
/** A telemetry counter. */
export type TelemetryCounterName = (typeof TELEMETRY_COUNTER_NAMES)[number];

/** MQTT message → readings → InfluxDB writer; invalid messages → counters, log, dead letters. */
export interface TelemetryPipeline {
  /** Handles one message; resolves when it may be acknowledged. Never rejects. */
  handle(topic: string, payload: Buffer): Promise<void>;
  readonly counters: Readonly<Counters<TelemetryCounterName>>;
  readonly invalid: Readonly<Record<TelemetryInvalidReason, number>>;
}

/** How much of a refused payload the dead-letter list keeps. */
const DEAD_LETTER_PAYLOAD_CHARS = 4096;
/** One warning per topic per minute at most, however many bad messages the topic carries. */
const LOG_INTERVAL_MS = 60_000;

/**
 * A valid message is written to the writer's buffer before its promise resolves, so the MQTT
 * acknowledgement follows the point's acceptance. An invalid one is counted by reason, logged
 * with its topic (rate-limited per topic) and pushed to the dead-letter list before it is
 * acknowledged; if the list cannot take it, that is counted and the message is still
 * acknowledged, because redelivering a message that will never be valid would block nothing but
 * help no one.
 */
export function createTelemetryPipeline(deps: {
  readonly inventory: Pick<Inventory, 'deviceByName' | 'serviceOn'>;
  readonly writer: Pick<MetricsWriter, 'writeTelemetry'>;
  readonly deadLetters: Pick<DeadLetterStore, 'push'>;
  readonly maxPayloadBytes: number;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Sees every accepted reading after it is written (threshold rules). */
  readonly onPoints?: (points: readonly TelemetryPoint[]) => void;
}): TelemetryPipeline {
  const counters = createCounters(TELEMETRY_COUNTER_NAMES);
  const invalid = Object.fromEntries(TELEMETRY_INVALID_REASONS.map((r) => [r, 0])) as Record<
    TelemetryInvalidReason,
    number
  >;
  const logLimiter = createRateLimiter({ intervalMs: LOG_INTERVAL_MS, clock: deps.clock });

  return {
    counters,
    invalid,
    async handle(topic, payload) {
      counters.messages += 1;
      const receivedMs = deps.clock();
      const decision = decodeTelemetry(payload, receivedMs, deps.inventory, deps.maxPayloadBytes);
      if (decision.kind === 'accepted') {
        deps.writer.writeTelemetry(decision.points);
        counters.points += decision.points.length;
        try {
          deps.onPoints?.(decision.points);
        } catch (error) {
          deps.logger.error({ err: error, topic }, 'telemetry rule evaluation failed');
        }
        return;
      }
      invalid[decision.reason] += 1;
      const limit = logLimiter.check(topic);
      if (limit.kind === 'allow') {
        deps.logger.warn(
          {
            topic,
            reason: decision.reason,
            detail: decision.message,
            suppressedBefore: limit.suppressedBefore,
          },
          'invalid telemetry message dead-lettered',
        );
      }
      const text = payload.subarray(0, DEAD_LETTER_PAYLOAD_CHARS).toString('utf8');
      try {
        await deps.deadLetters.push({
          timeMs: receivedMs,
          topic,
          reason: decision.reason,
          detail: decision.message,
          payloadBytes: payload.length,
          payload: text,
          truncated: payload.length > DEAD_LETTER_PAYLOAD_CHARS,
        });
        counters.deadLettered += 1;
      } catch (error) {
        counters.deadLetterErrors += 1;
        if (limit.kind === 'allow') {
          deps.logger.error({ err: error, topic }, 'dead-letter store refused a message');
        }
      }
    },
  };
}
