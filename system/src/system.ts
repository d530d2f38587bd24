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
 * then find everything listening. Stop order is the reverse.
 */
export function createSystem(runtime: Runtime, options: SystemOptions): Component[] {
  const collector = createCollector({ runtime });
  const billing = createBillingBridge({ runtime });
  const components: Component[] = [
    createCorrelator({ runtime }),
    collector,
    billing,
    createApi({
      runtime,
      metrics: () => renderPrometheus([...collector.metrics(), ...billing.metrics()]),
    }),
  ];
  if (options.simulate) {
    const { trapHost, trapPort, mqttUrl, prefix } = runtime.settings;
    components.push(
      createDemoHistory(runtime),
      createSimulator({
        config: runtime.config,
        // A collector listening on every address is reached on loopback by the local simulator.
        trapTarget: { host: trapHost === '0.0.0.0' ? '127.0.0.1' : trapHost, port: trapPort },
        logger: runtime.logger,
        ...(options.faultIntervalMs === undefined
          ? {}
          : { faults: { meanIntervalMs: options.faultIntervalMs } }),
        // Telemetry every 10 s, and `npm run sim -- scenario …` reaches it on the control topic.
        mqtt: {
          url: mqttUrl,
          intervalMs: options.telemetryIntervalMs ?? 10_000,
          controlPrefix: prefix,
        },
      }),
    );
  }
  return components;
}
