import { isIP } from 'node:net';
import type { Problem } from '../validate.js';
import type { Config } from './schema.js';

/** Why an `api.trustedProxies` entry is not an IP address or a CIDR range, or undefined. */
function proxyProblem(entry: string): string | undefined {
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return 'must be an IP address or a CIDR range (10.0.0.0/8)';
  if (prefix === undefined) return undefined;
  const bits = version === 4 ? 32 : 128;
  return /^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= bits
    ? undefined
    : `prefix length must be 0 to ${String(bits)}`;
}

/** Problems with the api's trusted proxy addresses, each by its path. */
export function trustedProxyProblems(config: Config): Problem[] {
  return config.api.trustedProxies.flatMap((entry, index) => {
    const message = proxyProblem(entry);
    return message === undefined ? [] : [{ path: `api.trustedProxies.${String(index)}`, message }];
  });
}
