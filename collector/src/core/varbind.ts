/**
 * Varbinds as the SNMP library decodes them, and their rendering into event details and template
 * text. SNMP types are numbered as in the BER encoding (RFC 2578 application tags).
 */

/** One variable binding as decoded from a PDU: `value` depends on `type`. */
export interface RawVarbind {
  readonly oid: string;
  readonly type: number;
  readonly value: unknown;
}

/** A varbind as carried in event details: JSON-safe, with the type by name. */
export interface VarbindDetail {
  readonly oid: string;
  /** The MIB name (`IF-MIB::ifOperStatus.3`), when a loaded MIB defines the OID. */
  readonly name?: string;
  readonly type: string;
  readonly value: string | number | boolean | null;
}

/** SNMP syntax tags. */
export const SnmpType = {
  Boolean: 1,
  Integer: 2,
  BitString: 3,
  OctetString: 4,
  Null: 5,
  OID: 6,
  IpAddress: 64,
  Counter32: 65,
  Gauge32: 66,
  TimeTicks: 67,
  Opaque: 68,
  Counter64: 70,
  NoSuchObject: 128,
  NoSuchInstance: 129,
  EndOfMibView: 130,
} as const;

const TYPE_NAMES = new Map<number, string>(
  Object.entries(SnmpType).map(([name, tag]) => [tag, name]),
);

/** The name of an SNMP type tag (`Counter64`), or `type-N` for a tag this code does not know. */
export function snmpTypeName(type: number): string {
  return TYPE_NAMES.get(type) ?? `type-${String(type)}`;
}

/**
 * Decodes an unsigned big-endian integer of any length. Counter64 values arrive as byte strings
 * of 1 to 9 bytes (a leading zero byte keeps the BER integer positive), never as numbers.
 */
export function decodeUnsigned(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** Reads a counter value as the library delivers it: a number (32-bit types) or bytes (Counter64). */
export function counterValue(value: unknown): bigint | undefined {
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
  }
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  if (value instanceof Uint8Array) return decodeUnsigned(value);
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Octet strings are shown as text when they are valid UTF-8 without control characters (tabs and
 * line breaks allowed), else as `0x` and lowercase hex: MAC addresses and binary indexes stay
 * readable and unambiguous.
 */
export function octetsToText(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  let text: string | undefined;
  try {
    text = utf8.decode(bytes);
  } catch {
    text = undefined;
  }
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is looked for
  if (text !== undefined && !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text))
    return text;
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

/**
 * The JSON-safe value of a varbind: numbers for 32-bit integer types, an exact decimal string for
 * Counter64, text or hex for octet strings, null for Null and the exception types.
 */
export function varbindValue(varbind: RawVarbind): string | number | boolean | null {
  const { type, value } = varbind;
  if (value === null || value === undefined) return null;
  if (type === SnmpType.Counter64) {
    const decoded = counterValue(value);
    return decoded === undefined ? fallbackText(value) : decoded.toString();
  }
  if (type === SnmpType.Opaque || type === SnmpType.BitString) {
    return value instanceof Uint8Array
      ? `0x${Buffer.from(value).toString('hex')}`
      : fallbackText(value);
  }
  if (value instanceof Uint8Array) return octetsToText(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')
    return value;
  return fallbackText(value);
}

/** Text for a value of a shape the library is not documented to produce. */
function fallbackText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return value.toString();
  if (typeof value !== 'object' || value === null) return typeof value;
  try {
    return JSON.stringify(value);
  } catch {
    return typeof value;
  }
}

/** The varbind value as template text: `''` for null. */
export function varbindText(varbind: RawVarbind): string {
  const value = varbindValue(varbind);
  return value === null ? '' : String(value);
}

/** A varbind for event details. */
export function varbindDetail(varbind: RawVarbind): VarbindDetail {
  return { oid: varbind.oid, type: snmpTypeName(varbind.type), value: varbindValue(varbind) };
}
