/**
 * A MessagePack decoder for InfluxDB's `/query` answer (`Accept: application/x-msgpack`, 1.4+).
 * Integers arrive as binary 64-bit values, so counters up to 2^64 keep every digit: an integer
 * that a float holds exactly is a number, a larger one a bigint. Extension types (timestamps
 * without `epoch`) are not used by the reader and are refused.
 */

/** Integers whose high 32-bit word is below this in size are below 2^53: exact as numbers. */
const HIGH_WORD_LIMIT = 2 ** 21;

/** The value the bytes encode: maps become objects, arrays arrays, integers numbers or bigints. */
export function decodeMsgpack(bytes: Uint8Array): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder();
  let at = 0;

  function need(length: number): number {
    const start = at;
    at += length;
    if (at > bytes.length) throw new Error('MessagePack answer cut short');
    return start;
  }
  const u8 = () => view.getUint8(need(1));
  const u16 = () => view.getUint16(need(2));
  const u32 = () => view.getUint32(need(4));
  /** A 64-bit integer: a number below 2^53 in size (its high word under 2^21), else a bigint. */
  const int64 = (signed: boolean): number | bigint => {
    const start = need(8);
    const high = signed ? view.getInt32(start) : view.getUint32(start);
    if (high >= -HIGH_WORD_LIMIT && high < HIGH_WORD_LIMIT) {
      return high * 2 ** 32 + view.getUint32(start + 4);
    }
    return signed ? view.getBigInt64(start) : view.getBigUint64(start);
  };
  const str = (length: number) => text.decode(bytes.subarray(need(length), at));
  const array = (length: number): unknown[] => {
    const items = new Array<unknown>(length);
    for (let index = 0; index < length; index++) items[index] = value();
    return items;
  };
  const map = (length: number): Record<string, unknown> => {
    const entries: Record<string, unknown> = {};
    for (let index = 0; index < length; index++) entries[String(value())] = value();
    return entries;
  };

  function value(): unknown {
    const type = u8();
    if (type <= 0x7f) return type;
    if (type >= 0xe0) return type - 0x100;
    if (type >= 0xa0 && type <= 0xbf) return str(type & 0x1f);
    if (type >= 0x90 && type <= 0x9f) return array(type & 0x0f);
    if (type >= 0x80 && type <= 0x8f) return map(type & 0x0f);
    switch (type) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return bytes.slice(need(u8()), at);
      case 0xc5:
        return bytes.slice(need(u16()), at);
      case 0xc6:
        return bytes.slice(need(u32()), at);
      case 0xca:
        return view.getFloat32(need(4));
      case 0xcb:
        return view.getFloat64(need(8));
      case 0xcc:
        return u8();
      case 0xcd:
        return u16();
      case 0xce:
        return u32();
      case 0xcf:
        return int64(false);
      case 0xd0:
        return view.getInt8(need(1));
      case 0xd1:
        return view.getInt16(need(2));
      case 0xd2:
        return view.getInt32(need(4));
      case 0xd3:
        return int64(true);
      case 0xd9:
        return str(u8());
      case 0xda:
        return str(u16());
      case 0xdb:
        return str(u32());
      case 0xdc:
        return array(u16());
      case 0xdd:
        return array(u32());
      case 0xde:
        return map(u16());
      case 0xdf:
        return map(u32());
      default:
        throw new Error(`MessagePack type 0x${type.toString(16)} is not read`);
    }
  }

  const decoded = value();
  if (at !== bytes.length) throw new Error('MessagePack answer has trailing bytes');
  return decoded;
}
