import { createApi } from '@faultline/api';
import { createBillingBridge } from '@faultline/billing-bridge';
import { createCollector } from '@faultline/collector';
import { createCorrelator } from '@faultline/correlator';
import { renderPrometheus, type Component, type Runtime } from '@faultline/shared';
import { createSimulator } from '@faultline/simulator';
import { createDemoHistory } from './demo-history.js';

/** What runs in the one-process system besides the always-present parts. */
export interface SystemOptions {
  /** Play the configured network with the simulator (the default for `npm start`). */
  readonly simulate: boolean;
  /** Mean time between random demo faults of the simulator, when it runs; none when absent. */
  readonly faultIntervalMs?: number;
  /** How often each simulated device publishes telemetry, ms (default 10 s). */
  readonly telemetryIntervalMs?: number;
}

/**
 * Builds every Faultline component for one process, in start order: the correlator first (so the
 * events queue has a consumer), then the collector, the billing bridge, the api (which renders
 * the others' self-metrics at /metrics), and finally the simulated network, whose first traps
 * then find everything listening. Stop order is the reverse. With the simulator, the demo's
 * history comes before it, and on a first start the billing bridge then bills the last closed
 * periods.
 */
export function createSystem(runtime: Runtime, options: SystemOptions): Component[] {
  const collector = createCollector({ runtime });
  const billing = createBillingBridge({ runtime });
  const correlator = createCorrelator({ runtime });
  const components: Component[] = [
    correlator,
    collector,
    billing,
    createApi({
      runtime,
      metrics: () =>
        renderPrometheus([...correlator.metrics(), ...collector.metrics(), ...billing.metrics()]),
    }),
  ];
  if (options.simulate) {
    const { trapHost, trapPort, mqttUrl, prefix } = runtime.settings;
    components.push(
      createDemoHistory(runtime, () => billing.requestFirstRuns()),
      createSimulator({
        config: runtime.config,
        // A collector listening on every address is reached on loopback by the local simulator.
        trapTarget: { host: trapHost === '0.0.0.0' ? '127.0.0.1' : trapHost, port: trapPort },
        logger: runtime.logger,
        ...(options.faultIntervalMs === undefined
          ? {}
          : { faults: { meanIntervalMs: options.faultIntervalMs } }),
        // Telemetry every 10 s under the instance's prefix (where its collector subscribes), and
        // `npm run sim -- scenario …` reaches it on the control topic.
        mqtt: {
          url: mqttUrl,
          intervalMs: options.telemetryIntervalMs ?? 10_000,
          prefix,
        },
      }),
    );
  }
  return components;
}
