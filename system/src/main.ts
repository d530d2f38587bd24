import { loadRuntime, runUntilSignal } from '@faultline/shared';
import { createSystem } from './system.js';

/**
 * The whole of Faultline in one process: what `npm start` runs. `FAULTLINE_SIMULATE=0` runs it
 * against a real network instead of the simulated one.
 */
async function main(): Promise<void> {
  const loaded = await loadRuntime(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    process.exitCode = 2;
    return;
  }
  const { runtime } = loaded;
  const simulate = process.env.FAULTLINE_SIMULATE !== '0';
  await runUntilSignal(
    createSystem(runtime, { simulate, faultIntervalMs: 45_000 }),
    runtime.logger,
  );
  if (process.exitCode !== undefined && process.exitCode !== 0) return;
  const { httpHost, httpPort, adminToken } = runtime.settings;
  const host = httpHost === '0.0.0.0' ? '127.0.0.1' : httpHost;
  const link = `http://${host}:${String(httpPort)}/${adminToken === undefined ? '' : `?token=${encodeURIComponent(adminToken)}`}`;
  process.stdout.write(
    `\nFaultline is running${simulate ? ' with the simulated network' : ''}.\n` +
      `  Dashboard: ${link}\n  API docs:  http://${host}:${String(httpPort)}/api/docs\n` +
      `  Stop with Ctrl-C.\n\n`,
  );
}

await main();
