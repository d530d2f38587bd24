import { createHash } from 'node:crypto';

/** The secrets a config file can hold, and where its webhooks point. */
export interface ConfigSecrets {
  readonly influxDatabase: string;
  readonly community: string;
  readonly authKey: string;
  readonly privKey: string;
  /** An api token, of which the file holds only the digest. */
  readonly token: { readonly name: string; readonly role: string; readonly value: string };
  /** `http://host:port` of the webhooks, whose URLs carry a key. */
  readonly webhookBase: string;
  readonly webhookKey: string;
  readonly bssKey: string;
}

/**
 * A config (YAML) holding every kind of secret a config file can: an SNMP community, a v3 user
 * `alice` with both keys, an api token, webhook URLs with a key; around the given `devices`
 * (YAML list items, which may use the community and `alice`).
 */
export function configWithSecrets(secrets: ConfigSecrets, devices: string): string {
  const digest = createHash('sha256').update(secrets.token.value).digest('hex');
  return `
influx: { api: v1, database: ${secrets.influxDatabase} }
telemetry: { sessionExpiryS: 0 }
snmp:
  communities: [${secrets.community}]
  users:
    - { name: alice, authProtocol: sha, authKey: ${secrets.authKey}, privProtocol: aes, privKey: ${secrets.privKey} }
devices:
${devices}
api:
  tokens:
    - { name: ${secrets.token.name}, role: ${secrets.token.role}, sha256: ${digest} }
notify:
  webhooks:
    - { name: pager, url: '${secrets.webhookBase}/hook?key=${secrets.webhookKey}' }
billing:
  webhook: { url: '${secrets.webhookBase}/bss?key=${secrets.bssKey}' }
`;
}
