import type { Component, Runtime } from './component.js';
import { loadRuntime, runUntilSignal } from './component.js';

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
