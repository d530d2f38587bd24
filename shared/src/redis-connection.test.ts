import { describe, expect, it } from 'vitest';
import { redisOptions } from './redis-connection.js';
import { readSettings, type Settings } from './settings.js';

function settingsOf(env: Record<string, string>): Settings {
  const result = readSettings(env);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value;
}

describe('Redis connection settings', () => {
  it('reaches the server of REDIS_URL when no sentinels are named', () => {
    expect(redisOptions(settingsOf({ REDIS_URL: 'redis://:s%40cret@10.0.0.5:6380/2' }))).toEqual({
      host: '10.0.0.5',
      port: 6380,
      password: 's@cret',
      db: 2,
    });
  });

  it('asks the sentinels for the named primary, with the credentials of REDIS_URL', () => {
    const options = redisOptions(
      settingsOf({
        REDIS_URL: 'rediss://faultline:pw@ignored:6379/1',
        REDIS_SENTINELS: '10.0.0.1:26379, [fd00::2]:26380',
        REDIS_SENTINEL_MASTER: 'noc',
        REDIS_SENTINEL_PASSWORD: 'sentinel-pw',
      }),
    );
    expect(options).toMatchObject({
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: 'fd00::2', port: 26380 },
      ],
      name: 'noc',
      username: 'faultline',
      password: 'pw',
      db: 1,
      sentinelPassword: 'sentinel-pw',
      enableTLSForSentinelMode: true,
      failoverDetector: true,
    });
    expect(options.host).toBeUndefined();
    // A write that reached a demoted primary is sent again to the new one, nothing else is.
    const reconnect = options.reconnectOnError;
    expect(reconnect?.(new Error("READONLY You can't write against a read only replica."))).toBe(2);
    expect(reconnect?.(new Error('ERR wrong number of arguments'))).toBe(false);
  });

  it.each([
    ['REDIS_SENTINELS', '10.0.0.1', '"10.0.0.1" is not host:port'],
    ['REDIS_SENTINELS', 'a:1,b:99999', '"b:99999" is not host:port'],
    ['REDIS_WAIT_REPLICAS', '-1', 'must be a whole number from 0 to 16'],
    ['FAULTLINE_METRICS_PORT', '70000', 'must be a port number from 1 to 65535, got "70000"'],
  ])('refuses %s=%s', (name, value, message) => {
    const result = readSettings({ [name]: value });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([{ path: name, message }]);
  });

  it('defaults to no sentinels, no replica wait and no metrics port of its own', () => {
    expect(settingsOf({})).toMatchObject({
      redisSentinels: [],
      redisSentinelMaster: 'faultline',
      redisWaitReplicas: 0,
      metricsHost: '127.0.0.1',
      metricsPort: undefined,
    });
  });
});
