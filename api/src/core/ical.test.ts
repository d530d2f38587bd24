import { describe, expect, it } from 'vitest';
import { rotationCalendar } from './ical.js';

const at = (iso: string): number => Date.parse(iso);

describe('rotationCalendar', () => {
  const feed = rotationCalendar(
    'noc',
    [
      {
        rotation: 'noc',
        person: 'alice',
        startMs: at('2026-12-07T08:00:00Z'),
        endMs: at('2026-12-08T08:00:00Z'),
        source: 'shift',
      },
      {
        rotation: 'noc',
        person: 'carol',
        startMs: at('2026-12-08T08:00:00Z'),
        endMs: at('2026-12-08T12:00:00Z'),
        source: 'override',
        covers: 'bob',
      },
    ],
    at('2026-12-07T10:00:00Z'),
  );
  const lines = feed.split('\r\n');

  it('is a VCALENDAR of one VEVENT per segment, CRLF-terminated', () => {
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(feed.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(2);
  });

  it('times are UTC and the override says whom it covers', () => {
    expect(lines).toContain('DTSTART:20261207T080000Z');
    expect(lines).toContain('DTEND:20261208T120000Z');
    expect(lines).toContain('SUMMARY:On call: carol (noc)');
    expect(lines).toContain('DESCRIPTION:Override: covers bob');
  });

  it('folds long lines at 75 octets and escapes text', () => {
    const long = rotationCalendar(
      'a'.repeat(100),
      [{ rotation: 'x', person: 'p;q,r', startMs: 0, endMs: 1, source: 'shift' }],
      0,
    );
    for (const line of long.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(long.replace(/\r\n /g, '')).toContain('SUMMARY:On call: p\\;q\\,r (');
  });
});
