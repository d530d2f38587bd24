import { randomBytes } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { withoutCredentials, type Logger } from '@faultline/shared';

/** The simulator's MQTT connection: telemetry out, control commands in. */
export interface MqttLink {
  /**
   * Publishes at QoS 1 if connected. Returns false when offline: telemetry readings are periodic,
   * so the next one replaces a dropped one instead of piling up in the client's memory.
   */
  publish(topic: string, payload: string): boolean;
  /** Resolves once connected and subscribed to the control topic the first time; never rejects. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/** What the link needs; `onControl` is called for every message on `controlTopic`. */
export interface MqttLinkDeps {
  readonly url: string;
  readonly logger: Logger;
  readonly controlTopic: string | undefined;
  readonly onControl: (payload: string) => void;
}

/**
 * Connects to the broker in the background: the simulator starts (and its SNMP agents answer)
 * even while the broker is down, and mqtt.js reconnects and resubscribes on its own.
 */
export function createMqttLink(deps: MqttLinkDeps): MqttLink {
  const { logger } = deps;
  const client: MqttClient = mqtt.connect(deps.url, {
    clientId: `faultline-sim-${randomBytes(4).toString('hex')}`,
    reconnectPeriod: 2_000,
    connectTimeout: 5_000,
  });
  let failures = 0;
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  client.on('connect', () => {
    failures = 0;
    logger.info({ broker: withoutCredentials(deps.url) }, 'simulator connected to MQTT');
    if (deps.controlTopic === undefined) {
      markReady();
      return;
    }
    client.subscribe(deps.controlTopic, { qos: 1 }, (error) => {
      if (error) logger.warn({ err: error }, 'cannot subscribe to the control topic');
      else markReady();
    });
  });
  client.on('error', (error) => {
    // Logged once per outage, not at every reconnect attempt.
    if (failures++ === 0)
      logger.warn({ err: error, broker: withoutCredentials(deps.url) }, 'MQTT connection failed');
  });
  client.on('message', (topic, payload) => {
    if (topic !== deps.controlTopic) return;
    try {
      deps.onControl(payload.toString('utf8'));
    } catch (error) {
      logger.warn({ err: error }, 'control message handler failed');
    }
  });

  return {
    ready,
    publish(topic, payload) {
      if (!client.connected) return false;
      client.publish(topic, payload, { qos: 1 }, (error) => {
        if (error) logger.debug({ err: error, topic }, 'telemetry publish failed');
      });
      return true;
    },
    async close() {
      await client.endAsync();
    },
  };
}
