import { loadRuntime, runUntilSignal } from '@faultline/shared';
import { createSystem } from './system.js';

/**
 * The whole of Faultline in one process: what `npm start` runs. `FAULTLINE_SIMULATE=0` runs it
 * against a real network instead of the simulated one.
 */
/** Where an operator finds the bootstrap tokens: what they set, or what `npm start` made. */
const TOKEN_SOURCES = {
  admin: 'FAULTLINE_ADMIN_TOKEN; `npm start` keeps the one it made in .services/admin-token',
  viewer: 'FAULTLINE_VIEWER_TOKEN; `npm start` keeps the one it made in .services/viewer-token',
};

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
  const { httpHost, httpPort, adminToken, viewerToken } = runtime.settings;
  const host = httpHost === '0.0.0.0' ? '127.0.0.1' : httpHost;
  const base = `http://${host}:${String(httpPort)}`;
  // Only addresses: this goes to the log stream, and tokens are never logged. The dashboard asks
  // for a token once and keeps it in the browser.
  process.stdout.write(
    `\nFaultline is running${simulate ? ' with the simulated network' : ''}.\n` +
      `  Dashboard: ${base}/${adminToken === undefined ? '' : `  (sign in with the admin token: ${TOKEN_SOURCES.admin})`}\n` +
      (viewerToken === undefined
        ? ''
        : `  Wall:      ${base}/wall?token=<viewer token>  (the token: ${TOKEN_SOURCES.viewer})\n`) +
      `  API docs:  ${base}/api/docs\n  Stop with Ctrl-C.\n\n`,
  );
}

await main();
