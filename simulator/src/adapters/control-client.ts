import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import {
  withoutCredentials,
  controlTopic,
  formatProblems,
  parseControlReply,
  replyTopic,
  type ControlReply,
  type ControlRequest,
} from '@faultline/shared';

/** Where the running simulator listens, and how long to wait for it. */
export interface ControlClientOptions {
  readonly mqttUrl: string;
  /** The Faultline prefix: the control topic is `<prefix>/simulator/control`. */
  readonly prefix: string;
  readonly timeoutMs: number;
}

/** The command, without the routing fields the client fills in. */
export type ControlCommand =
  | { readonly scenario: string; readonly definition?: string; readonly speedup?: number }
  | { readonly list: true };

/**
 * Sends one command to the running simulator over MQTT and waits for its answer: what
 * `npm run sim -- scenario <name>` does. Rejects with a message for a person when the broker is
 * unreachable or no simulator answers within the timeout.
 */
export async function sendControlCommand(
  options: ControlClientOptions,
  command: ControlCommand,
): Promise<ControlReply> {
  const id = randomBytes(8).toString('hex');
  const replyTo = replyTopic(options.prefix, id);
  let client;
  try {
    client = await mqtt.connectAsync(
      options.mqttUrl,
      {
        clientId: `faultline-sim-cli-${id}`,
        reconnectPeriod: 0,
        connectTimeout: options.timeoutMs,
      },
      false,
    );
  } catch (error) {
    throw new Error(`cannot reach the MQTT broker at ${withoutCredentials(options.mqttUrl)}`, {
      cause: error,
    });
  }
  try {
    await client.subscribeAsync(replyTo, { qos: 1 });
    const answer = new Promise<ControlReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(
            `no simulator answered on ${controlTopic(options.prefix)} within ${String(options.timeoutMs / 1000)} s: is Faultline (npm start) or "npm run sim -- run" running with the same prefix?`,
          ),
        );
      }, options.timeoutMs);
      client.on('message', (topic, payload) => {
        if (topic !== replyTo) return;
        clearTimeout(timer);
        const reply = parseControlReply(payload.toString('utf8'));
        if (reply.ok) resolve(reply.value);
        else {
          reject(
            new Error(`the simulator sent a malformed answer:\n${formatProblems(reply.problems)}`),
          );
        }
      });
    });
    // If publishing fails, the timeout's rejection has no reader left: keep it from going unhandled.
    answer.catch(() => undefined);
    const request: ControlRequest = { ...command, id, replyTo };
    await client.publishAsync(controlTopic(options.prefix), JSON.stringify(request), { qos: 1 });
    return await answer;
  } finally {
    await client.endAsync();
  }
}
