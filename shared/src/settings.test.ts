import { describe, expect, it } from 'vitest';
import { readSettings } from './settings.js';

describe('readSettings', () => {
  it('uses the documented defaults', () => {
    const result = readSettings({});
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toMatchObject({
      configPath: 'config/example.yaml',
      httpPort: 8080,
      trapPort: 1162,
      redisUrl: 'redis://127.0.0.1:6379',
      mqttUrl: 'mqtt://127.0.0.1:1883',
      influxUrl: 'http://127.0.0.1:8086',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/faultline',
      prefix: 'faultline',
      adminToken: undefined,
      viewerToken: undefined,
      logFormat: 'auto',
    });
  });

  it('takes overrides', () => {
    const result = readSettings({
      FAULTLINE_HTTP_PORT: '9090',
      FAULTLINE_TRAP_PORT: '2162',
      REDIS_URL: 'redis://127.0.0.2:6380',
      FAULTLINE_ADMIN_TOKEN: 'a-very-long-admin-token',
      FAULTLINE_VIEWER_TOKEN: 'a-very-long-viewer-token',
      LOG_FORMAT: 'json',
    });
    expect(result.ok && result.value.httpPort).toBe(9090);
    expect(result.ok && result.value.trapPort).toBe(2162);
    expect(result.ok && result.value.redisUrl).toBe('redis://127.0.0.2:6380');
    expect(result.ok && result.value.adminToken).toBe('a-very-long-admin-token');
    expect(result.ok && result.value.viewerToken).toBe('a-very-long-viewer-token');
    expect(result.ok && result.value.logFormat).toBe('json');
  });

  it.each([
    ['FAULTLINE_HTTP_PORT', 'http'],
    ['FAULTLINE_HTTP_PORT', '70000'],
    ['FAULTLINE_TRAP_PORT', '1.5'],
    ['REDIS_URL', 'not a url'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
    ['DATABASE_URL', 'mysql://x'],
    ['FAULTLINE_PREFIX', 'has:colon'],
    ['LOG_LEVEL', 'loud'],
    ['FAULTLINE_ADMIN_TOKEN', 'short'],
    ['FAULTLINE_VIEWER_TOKEN', 'short'],
    ['LOG_FORMAT', 'yaml'],
  ])('rejects %s=%s naming the variable', (name, value) => {
    const result = readSettings({ [name]: value });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([name]);
  });

  it('reports every bad variable at once', () => {
    const result = readSettings({ FAULTLINE_HTTP_PORT: 'x', MQTT_URL: 'ftp://y' });
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([
      'FAULTLINE_HTTP_PORT',
      'MQTT_URL',
    ]);
  });
});
