import { randomInt } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { loadConfigFile, type Config } from '@faultline/shared';

const EXAMPLE = fileURLToPath(new URL('../../../config/example.yaml', import.meta.url));

/**
 * The example network on addresses and a port of its own: 127.A.B.n with random A and B, and a
 * random high port, so tests (and a demo on 1161) never collide.
 */
export async function isolatedExampleConfig(): Promise<Config> {
  const loaded = await loadConfigFile(EXAMPLE);
  if (!loaded.ok) throw new Error(`example config is invalid: ${JSON.stringify(loaded.problems)}`);
  const prefix = `127.${String(randomInt(100, 250))}.${String(randomInt(0, 256))}`;
  const port = randomInt(20_000, 60_000);
  return {
    ...loaded.value,
    devices: loaded.value.devices.map((device, n) => ({
      ...device,
      address: `${prefix}.${String(n + 1)}`,
      snmp: { ...device.snmp, port },
    })),
  };
}

/** A device of a config by name; throws when the test's network has none. */
export function deviceOf(config: Config, name: string): Config['devices'][number] {
  const found = config.devices.find((d) => d.name === name);
  if (found === undefined) throw new Error(`no device ${name}`);
  return found;
}

/** `address:port` of a device's agent, as Net-SNMP's tools take it. */
export function agentTarget(config: Config, name: string): string {
  const device = deviceOf(config, name);
  return `${device.address}:${String(device.snmp.port ?? 161)}`;
}
