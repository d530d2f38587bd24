import { describe, expect, it } from 'vitest';
import { inSpans, ipv4Number, ipv4Text, parseAddressRange } from './address-range.js';

describe('parseAddressRange', () => {
  it.each<[string, string, string]>([
    ['127.0.1.7', '127.0.1.7', '127.0.1.7'],
    ['127.0.1.0/29', '127.0.1.0', '127.0.1.7'],
    ['10.0.0.0/8', '10.0.0.0', '10.255.255.255'],
    ['10.0.0.1-10.0.1.2', '10.0.0.1', '10.0.1.2'],
    ['0.0.0.0/0', '0.0.0.0', '255.255.255.255'],
  ])('reads %s as %s … %s', (text, first, last) => {
    const parsed = parseAddressRange(text);
    expect(parsed.ok && [ipv4Text(parsed.span.first), ipv4Text(parsed.span.last)]).toEqual([
      first,
      last,
    ]);
  });

  it.each<[string, RegExp]>([
    ['127.0.1.1/24', /host bits/],
    ['127.0.1.0/33', /CIDR/],
    ['256.0.0.1', /not an IPv4/],
    ['10.0.0.9-10.0.0.1', /ends before/],
    ['10.0.0.1-10.0.0.2-10.0.0.3', /not an IPv4/],
  ])('refuses %s', (text, message) => {
    const parsed = parseAddressRange(text);
    expect(parsed.ok ? 'accepted' : parsed.message).toMatch(message);
  });

  it('round-trips address numbers', () => {
    expect(ipv4Text(ipv4Number('192.168.10.254') ?? 0)).toBe('192.168.10.254');
    expect(inSpans([{ first: 10, last: 20 }], 20)).toBe(true);
    expect(inSpans([{ first: 10, last: 20 }], 21)).toBe(false);
  });
});
