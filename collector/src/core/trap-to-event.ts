import type { FaultEvent } from '@faultline/shared';
import {
  selectDefinition,
  type CompiledTemplate,
  type EventDefinitionTable,
  type TemplateContext,
} from './event-definitions.js';
import { normalizeAddress, type Inventory } from './inventory.js';
import { normalizeOid } from './oid.js';
import { NO_OID_NAMES, type OidNames } from './oid-names.js';
import { SnmpType, varbindDetail, varbindText, type RawVarbind } from './varbind.js';

/** SNMPv2-MIB sysUpTime.0, the first varbind of every v2 notification. */
export const SYS_UPTIME_OID = '1.3.6.1.2.1.1.3.0';
/** SNMPv2-MIB snmpTrapOID.0, the second varbind: which notification this is. */
export const SNMP_TRAP_OID = '1.3.6.1.6.3.1.1.4.1.0';
/** SNMP-COMMUNITY-MIB snmpTrapAddress.0: the original agent address of a proxied or v1 trap. */
export const SNMP_TRAP_ADDRESS_OID = '1.3.6.1.6.3.18.1.3.0';
/** SNMPv2-MIB snmpTrapEnterprise.0: the v1 enterprise of a converted trap. */
export const SNMP_TRAP_ENTERPRISE_OID = '1.3.6.1.6.3.1.1.4.3.0';
/** The null OID, used when a notification names no trap OID at all. */
export const NULL_OID = '0.0';

/** The v1-only header fields of a Trap-PDU (RFC 1157). */
export interface V1TrapHeader {
  readonly enterprise: string;
  readonly agentAddr: string;
  readonly generic: number;
  readonly specific: number;
  readonly timeTicks: number;
}

/**
 * A notification as received and decoded, before any interpretation. `id` is assigned on receipt
 * (before queueing), so retries of the same notification carry the same event id.
 */
export interface Notification {
  readonly id: string;
  readonly receivedAtMs: number;
  readonly version: '1' | '2c' | '3';
  readonly pdu: 'trap' | 'inform';
  readonly sourceAddress: string;
  readonly sourcePort: number;
  /** v1/v2c community: a secret, never copied into the event. */
  readonly community?: string;
  /** v3 user name. */
  readonly user?: string;
  /** The PDU request id (v2c/v3). */
  readonly requestId?: number;
  /** Present exactly for v1 Trap-PDUs. */
  readonly v1?: V1TrapHeader;
  readonly varbinds: readonly RawVarbind[];
}

/**
 * The SNMPv2 trap OID of a v1 trap (RFC 3584 §3.1): generic traps 0–5 become snmpTraps.(g+1);
 * an enterprise-specific trap (generic 6) becomes enterprise.0.specific.
 */
export function v1TrapOid(
  header: Pick<V1TrapHeader, 'enterprise' | 'generic' | 'specific'>,
): string {
  if (header.generic >= 0 && header.generic <= 5)
    return `1.3.6.1.6.3.1.1.5.${String(header.generic + 1)}`;
  return `${normalizeOid(header.enterprise)}.0.${String(header.specific)}`;
}

/**
 * The notification's varbinds in SNMPv2 form. v2c/v3 varbinds are returned as they are. A v1 trap
 * gets sysUpTime.0 and snmpTrapOID.0 in front and snmpTrapAddress.0 and snmpTrapEnterprise.0
 * after its own varbinds (RFC 3584 §3.1; the community is left out, being a secret), so
 * templates and readers see one shape whatever the version.
 */
export function v2Varbinds(notification: Notification): readonly RawVarbind[] {
  const header = notification.v1;
  if (header === undefined) return notification.varbinds;
  return [
    { oid: SYS_UPTIME_OID, type: SnmpType.TimeTicks, value: header.timeTicks },
    { oid: SNMP_TRAP_OID, type: SnmpType.OID, value: v1TrapOid(header) },
    ...notification.varbinds,
    { oid: SNMP_TRAP_ADDRESS_OID, type: SnmpType.IpAddress, value: header.agentAddr },
    { oid: SNMP_TRAP_ENTERPRISE_OID, type: SnmpType.OID, value: normalizeOid(header.enterprise) },
  ];
}

/** The trap OID of a notification in v2 varbind form, or undefined when it names none. */
export function trapOidOf(varbinds: readonly RawVarbind[]): string | undefined {
  const varbind = varbinds.find((v) => normalizeOid(v.oid) === SNMP_TRAP_OID);
  if (varbind === undefined) return undefined;
  const text = normalizeOid(varbindText(varbind));
  return /^[0-2](\.[0-9]+)+$/.test(text) ? text : undefined;
}

/** The address that identifies the sender: the v1 agent-addr or snmpTrapAddress.0, when set. */
function agentAddresses(notification: Notification, varbinds: readonly RawVarbind[]): string[] {
  const addresses = [notification.sourceAddress];
  if (notification.v1 !== undefined) addresses.push(notification.v1.agentAddr);
  const trapAddress = varbinds.find((v) => normalizeOid(v.oid) === SNMP_TRAP_ADDRESS_OID);
  if (trapAddress !== undefined) addresses.push(varbindText(trapAddress));
  return addresses.filter((a) => a !== '' && a !== '0.0.0.0');
}

/** Schema limits of the event fields, so an oversized template result never fails validation. */
const LIMITS = { device: 200, type: 200, component: 200, key: 500, description: 2000 } as const;

function clip(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

/**
 * Turns a received notification into an event. The device is the configured one whose address is
 * the packet's source, else the v1 agent-addr or snmpTrapAddress.0; an unknown sender becomes an
 * event with the source address as device and `deviceKnown: false`. A trap no definition covers
 * still becomes an event: type = the trap OID, severity indeterminate, described by its MIB name
 * when one is loaded. The trap OID and every varbind carry their MIB name in the details.
 */
export function trapToEvent(
  notification: Notification,
  inventory: Inventory,
  definitions: EventDefinitionTable,
  names: OidNames = NO_OID_NAMES,
): FaultEvent {
  const varbinds = v2Varbinds(notification);
  const trapOid = trapOidOf(varbinds);
  const oid = trapOid ?? NULL_OID;
  const known = agentAddresses(notification, varbinds)
    .map((address) => inventory.deviceByAddress(address))
    .find((device) => device !== undefined);
  const device = known?.name ?? normalizeAddress(notification.sourceAddress);
  const compiled = selectDefinition(definitions, oid, varbinds);
  const type = compiled?.definition.type ?? oid;
  const context: TemplateContext = {
    device,
    type,
    oid,
    varbinds,
    interfaceName: (ifIndex) =>
      known === undefined ? undefined : inventory.interfaceByIfIndex(known.name, ifIndex)?.name,
  };
  const render = (template: CompiledTemplate | undefined, max: number): string =>
    template === undefined ? '' : clip(template.render(context), max);

  const reductionKey = compiled
    ? render(compiled.reductionKey, LIMITS.key)
    : clip(`trap:${oid}:${device}`, LIMITS.key);
  const clearKey = render(compiled?.clearKey, LIMITS.key);
  const component = render(compiled?.component, LIMITS.component);
  const trapName = trapOid === undefined ? undefined : names.nameOf(oid);
  const description = compiled
    ? render(compiled.description, LIMITS.description)
    : clip(
        `Unknown trap ${trapName === undefined ? oid : `${trapName} (${oid})`} from ${device}`,
        LIMITS.description,
      );

  const details: Record<string, unknown> = {
    snmpVersion: notification.version,
    pdu: notification.pdu,
    trapOid: oid,
    ...(trapName === undefined ? {} : { trapName }),
    sourceAddress: normalizeAddress(notification.sourceAddress),
    sourcePort: notification.sourcePort,
    varbinds: varbinds.map((varbind) => {
      const detail = varbindDetail(varbind);
      const name = names.nameOf(varbind.oid);
      return name === undefined ? detail : { ...detail, name };
    }),
  };
  if (trapOid === undefined) details.trapOidMissing = true;
  if (notification.requestId !== undefined) details.requestId = notification.requestId;
  if (notification.user !== undefined) details.user = notification.user;
  if (notification.v1 !== undefined) {
    details.enterprise = normalizeOid(notification.v1.enterprise);
    details.agentAddr = notification.v1.agentAddr;
    details.generic = notification.v1.generic;
    details.specific = notification.v1.specific;
  }

  return {
    id: notification.id,
    source: 'trap',
    device: clip(device === '' ? 'unknown' : device, LIMITS.device),
    deviceKnown: known !== undefined,
    ...(component === '' ? {} : { component }),
    type: clip(type, LIMITS.type),
    severity: compiled?.definition.severity ?? 'indeterminate',
    timeMs: Math.max(0, Math.floor(notification.receivedAtMs)),
    reductionKey: reductionKey === '' ? `trap:${oid}:${device}` : reductionKey,
    ...(clearKey === '' ? {} : { clearKey }),
    description,
    details,
  };
}
