import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { withoutCredentials, type Logger } from '@faultline/shared';

/** What the subscriber needs. */
export interface MqttSubscriberOptions {
  readonly url: string;
  /** Stable across restarts: the broker keeps the session (and what arrives meanwhile) under it. */
  readonly clientId: string;
  /** Topic filters, already in their `$share/<group>/` form when shared. */
  readonly topics: readonly string[];
  readonly qos: 0 | 1 | 2;
  /** How long the broker keeps the session after a disconnect, seconds. */
  readonly sessionExpiryS: number;
  /**
   * Called for every message, one at a time in arrival order. The message is acknowledged
   * (PUBACK) only when the returned promise settles, so whatever is not yet handled when the
   * process dies is delivered again. It must not reject; a rejection is logged and acknowledged.
   */
  readonly onMessage: (topic: string, payload: Buffer) => Promise<void>;
  readonly logger: Logger;
  /** How long `start` waits for the first connection before going on in the background. */
  readonly connectTimeoutMs?: number;
}

/** A persistent-session MQTT subscriber. */
export interface MqttSubscriber {
  /**
   * Connects and subscribes. Resolves once subscribed, or after the connect timeout with a
   * warning: the broker may come later (mqtt.js reconnects), and traps must not wait for it.
   */
  start(): Promise<void>;
  /** Disconnects; the broker keeps the session for `sessionExpiryS`. */
  stop(): Promise<void>;
  /** True while connected and subscribed. */
  subscribed(): boolean;
}

/** The filter to subscribe to: `$share/<group>/<topic>` with a group, the topic as is without. */
export function subscriptionFilter(topic: string, group: string | undefined): string {
  return group === undefined ? topic : `$share/${group}/${topic}`;
}

/**
 * Subscribes with MQTT 5, `clean: false` and a session expiry: with MQTT 5, `clean: false` alone
 * loses the session at disconnect. It subscribes again at every connection (so a changed topic
 * list takes effect), with retain handling 1 so a resumed session does not replay retained
 * messages; messages the broker queued for the session arrive either way.
 */
export function createMqttSubscriber(options: MqttSubscriberOptions): MqttSubscriber {
  const { logger } = options;
  let client: MqttClient | undefined;
  let isSubscribed = false;

  const subscribe = async (active: MqttClient): Promise<void> => {
    // Retain handling 1: retained messages only for a subscription the session did not have yet.
    const granted = await active.subscribeAsync([...options.topics], { qos: options.qos, rh: 1 });
    const refused = granted.filter((grant) => grant.qos >= 0x80);
    if (refused.length > 0) {
      logger.error({ topics: refused.map((grant) => grant.topic) }, 'mqtt subscription refused');
    }
    isSubscribed = true;
    logger.info({ topics: options.topics, qos: options.qos }, 'telemetry subscribed');
  };

  return {
    start() {
      if (client) return Promise.reject(new Error('mqtt subscriber already started'));
      const clientOptions: IClientOptions = {
        clientId: options.clientId,
        protocolVersion: 5,
        clean: false,
        properties: { sessionExpiryInterval: options.sessionExpiryS },
        // Subscribing at every connection is done below, with retain handling.
        resubscribe: false,
        reconnectPeriod: 2000,
        connectTimeout: options.connectTimeoutMs ?? 5000,
      };
      const active = mqtt.connect(options.url, clientOptions);
      client = active;
      // Acknowledge only once the message is handled: mqtt.js sends the PUBACK when this
      // callback is called, and reads the next packet only after that.
      active.handleMessage = (packet, done) => {
        const payload = Buffer.isBuffer(packet.payload)
          ? packet.payload
          : Buffer.from(packet.payload);
        options.onMessage(packet.topic, payload).then(
          () => {
            done();
          },
          (error: unknown) => {
            logger.error({ err: error, topic: packet.topic }, 'telemetry handler failed');
            done();
          },
        );
      };
      let failures = 0;
      active.on('error', (error) => {
        if (failures++ === 0)
          logger.warn({ err: error, broker: withoutCredentials(options.url) }, 'mqtt error');
      });
      active.on('close', () => {
        isSubscribed = false;
      });
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          logger.warn(
            { broker: withoutCredentials(options.url) },
            'mqtt broker not reached yet; retrying',
          );
          resolve();
        }, options.connectTimeoutMs ?? 5000);
        active.on('connect', (connack) => {
          failures = 0;
          logger.info(
            { clientId: options.clientId, sessionPresent: connack.sessionPresent },
            'mqtt connected',
          );
          const ready = subscribe(active);
          ready.then(
            () => {
              clearTimeout(timer);
              resolve();
            },
            (error: unknown) => {
              logger.error({ err: error }, 'mqtt subscribe failed');
            },
          );
        });
      });
    },
    async stop() {
      const active = client;
      client = undefined;
      isSubscribed = false;
      await active?.endAsync();
    },
    subscribed: () => isSubscribed,
  };
}
