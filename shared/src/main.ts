import type { Component, Runtime } from './component.js';
import { loadRuntime, runUntilSignal } from './component.js';
import { createMetricsServer, type MetricsServerDeps } from './metrics-server.js';
import { renderPrometheus, type ComponentMetric } from './metrics.js';

/**
 * The body of every standalone `main.ts`: load and validate the runtime, build the components
 * with `build`, run them until a signal. Invalid settings or config print every problem and exit
 * with code 2 before anything starts.
 */
export async function runMain(build: (runtime: Runtime) => Component[]): Promise<void> {
  const loaded = await loadRuntime(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    process.exitCode = 2;
    return;
  }
  await runUntilSignal(build(loaded.runtime), loaded.runtime.logger);
}

/**
 * The body of a standalone part's `main.ts` (collector, correlator, billing bridge): the part and
 * its own /metrics server (`createMetricsServer`), started first so that a part still waiting for
 * its servers is already seen, its counters at zero.
 */
export async function runPartMain(
  part: MetricsServerDeps['part'],
  build: (runtime: Runtime) => Component & { metrics(): ComponentMetric[] },
): Promise<void> {
  await runMain((runtime) => {
    const component = build(runtime);
    const render = () => renderPrometheus(component.metrics());
    return [createMetricsServer({ runtime, part, render }), component];
  });
}
