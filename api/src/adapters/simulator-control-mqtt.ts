import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import {
  controlTopic,
  parseControlReply,
  replyTopic,
  type ControlRequest,
  type Logger,
} from '@faultline/shared';
import type { SimulatorCommand, SimulatorControl, SimulatorOutcome } from '../routes/admin.js';

/** Where the simulator listens, and how long a request waits for its answer. */
export interface MqttSimulatorControlDeps {
  /** The broker URL; it may hold credentials, so it is never logged nor put in a message. */
  readonly url: string;
  readonly prefix: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** The control client plus its teardown. */
export interface MqttSimulatorControl extends SimulatorControl {
  close(): Promise<void>;
}

interface Pending {
  readonly resolve: (outcome: SimulatorOutcome) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Asks the running simulator over MQTT, request and reply, on one connection per api process.
 * The connection is made in the background and keeps reconnecting, so the api starts (and
 * answers 503 on these routes) without a broker. All requests share one reply topic of this
 * process and are matched by id.
 */
export function createMqttSimulatorControl(deps: MqttSimulatorControlDeps): MqttSimulatorControl {
  const { logger, prefix } = deps;
  const instanceId = randomBytes(8).toString('hex');
  const replies = replyTopic(prefix, `api-${instanceId}`);
  const topic = controlTopic(prefix);
  const pending = new Map<string, Pending>();
  let subscribed = false;
  /** Requests made while not yet subscribed to replies: published once subscribed. */
  const queued: (() => void)[] = [];
  let sequence = 0;

  const client = mqtt.connect(deps.url, {
    clientId: `faultline-api-${instanceId}`,
    reconnectPeriod: 2_000,
    connectTimeout: 5_000,
  });
  // While the broker stays away, the client retries every 2 s: warn once per outage, not each try.
  let warned = false;
  client.on('error', (error) => {
    // The message of a connection error names host and port only, never the URL's credentials.
    const fields = { err: { message: error.message } };
    if (warned) logger.debug(fields, 'simulator control connection error');
    else logger.warn(fields, 'simulator control connection error');
    warned = true;
  });
  client.on('connect', () => {
    warned = false;
    client.subscribe(replies, { qos: 1 }, (error) => {
      if (error) logger.warn({ err: { message: error.message } }, 'cannot subscribe to replies');
      else {
        subscribed = true;
        for (const publish of queued.splice(0)) publish();
      }
    });
  });
  client.on('close', () => {
    subscribed = false;
  });
  client.on('message', (messageTopic, payload) => {
    if (messageTopic !== replies) return;
    const reply = parseControlReply(payload.toString('utf8'));
    if (!reply.ok) {
      logger.warn({ problems: reply.problems }, 'malformed simulator reply ignored');
      return;
    }
    const waiting = pending.get(reply.value.id);
    if (waiting === undefined) return;
    pending.delete(reply.value.id);
    clearTimeout(waiting.timer);
    waiting.resolve({ status: 'answered', reply: reply.value });
  });

  const unavailable = (message: string): SimulatorOutcome => ({ status: 'unavailable', message });

  return {
    topic,
    send(command: SimulatorCommand): Promise<SimulatorOutcome> {
      sequence += 1;
      const id = `${instanceId}-${String(sequence)}`;
      return new Promise<SimulatorOutcome>((resolve) => {
        const publish = (): void => {
          if (!pending.has(id)) return;
          const request: ControlRequest = { ...command, id, replyTo: replies };
          client.publish(topic, JSON.stringify(request), { qos: 1 }, (error) => {
            // mqtt.js passes null (not undefined, as its types say) on success.
            const failure = error as Error | null | undefined;
            if (failure === undefined || failure === null) return;
            logger.warn({ err: { message: failure.message } }, 'cannot publish a control request');
            pending.delete(id);
            clearTimeout(timer);
            resolve(unavailable(`cannot publish on ${topic}; try again`));
          });
        };
        const timer = setTimeout(() => {
          pending.delete(id);
          const noBroker = subscribed ? '' : ' (the api is not connected to the MQTT broker)';
          resolve(
            unavailable(
              `no simulator answered on ${topic} within ${String(deps.timeoutMs / 1000)} s${noBroker}`,
            ),
          );
        }, deps.timeoutMs);
        pending.set(id, { resolve, timer });
        if (subscribed) publish();
        else queued.push(publish);
      });
    },
    async close() {
      queued.length = 0;
      for (const [id, waiting] of pending) {
        clearTimeout(waiting.timer);
        waiting.resolve(unavailable('the api is stopping'));
        pending.delete(id);
      }
      await client.endAsync(true);
    },
  };
}
