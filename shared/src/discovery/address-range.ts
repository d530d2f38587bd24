/**
 * Discovery's address ranges: IPv4 addresses, CIDR blocks and inclusive `a-b` ranges as sets of
 * 32-bit numbers. Pure: the config check and the collector's discovery share it, so what the
 * config accepts is exactly what discovery probes.
 */

/** An inclusive span of IPv4 addresses as unsigned 32-bit numbers. */
export interface AddressSpan {
  readonly first: number;
  readonly last: number;
}

/** A parsed range, or why it is not one. */
export type ParsedRange =
  | { readonly ok: true; readonly span: AddressSpan }
  | { readonly ok: false; readonly message: string };

/** The number of a dotted-quad IPv4 address, or undefined when it is not one. */
export function ipv4Number(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** The dotted-quad text of an address number. */
export function ipv4Text(value: number): string {
  return [24, 16, 8, 0].map((shift) => String(Math.floor(value / 2 ** shift) % 256)).join('.');
}

/** Parses `a.b.c.d`, `a.b.c.d/n` or `a.b.c.d-e.f.g.h`. A CIDR block may not have host bits set. */
export function parseAddressRange(text: string): ParsedRange {
  const [base = '', cidr, ...extraSlash] = text.split('/');
  if (extraSlash.length > 0) return { ok: false, message: `"${text}" is not an address range` };
  if (cidr !== undefined) {
    const first = ipv4Number(base);
    const bits = /^[0-9]{1,2}$/.test(cidr) ? Number(cidr) : NaN;
    if (first === undefined || !(bits >= 0 && bits <= 32)) {
      return { ok: false, message: `"${text}" is not a CIDR block` };
    }
    const size = 2 ** (32 - bits);
    if (first % size !== 0) {
      return { ok: false, message: `"${text}" has host bits set (the block starts elsewhere)` };
    }
    return { ok: true, span: { first, last: first + size - 1 } };
  }
  const [from = '', to, ...extraDash] = text.split('-');
  const first = ipv4Number(from);
  const last = to === undefined ? first : ipv4Number(to);
  if (extraDash.length > 0 || first === undefined || last === undefined) {
    return { ok: false, message: `"${text}" is not an IPv4 address or range` };
  }
  if (last < first) return { ok: false, message: `"${text}" ends before it starts` };
  return { ok: true, span: { first, last } };
}

/** How many addresses a span holds. */
export function spanSize(span: AddressSpan): number {
  return span.last - span.first + 1;
}

/** Whether an address number lies in any of the spans. */
export function inSpans(spans: readonly AddressSpan[], value: number): boolean {
  return spans.some((span) => value >= span.first && value <= span.last);
}
