import type { OnCallSegment } from '@faultline/shared';

/** `20261207T090000Z`: an RFC 5545 UTC date-time. */
function utc(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** RFC 5545 TEXT: backslash, semicolon, comma and newlines escaped. */
function text(value: string): string {
  return value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
}

/** Folds a content line at 75 octets (continuation lines start with a space). */
function fold(line: string): string {
  const bytes = Buffer.from(line, 'utf8');
  if (bytes.length <= 75) return line;
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + (start === 0 ? 75 : 74), bytes.length);
    // Never split a UTF-8 sequence: back off to a lead byte.
    while (end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
    parts.push(bytes.subarray(start, end).toString('utf8'));
    start = end;
  }
  return parts.join('\r\n ');
}

/**
 * A rotation's turns as an iCalendar (RFC 5545) feed: one all-UTC event per segment ("On call:
 * alice"), with a stable UID per rotation and start so a calendar app updates rather than
 * duplicates when it refreshes. Pure.
 */
export function rotationCalendar(
  rotation: string,
  segments: readonly OnCallSegment[],
  nowMs: number,
): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Faultline//On-call//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${text(`On call: ${rotation}`)}`,
    ...segments.flatMap((segment) => [
      'BEGIN:VEVENT',
      `UID:${text(`${rotation}-${String(segment.startMs)}-${segment.person}@faultline`)}`,
      `DTSTAMP:${utc(nowMs)}`,
      `DTSTART:${utc(segment.startMs)}`,
      `DTEND:${utc(segment.endMs)}`,
      `SUMMARY:${text(`On call: ${segment.person} (${rotation})`)}`,
      ...(segment.source === 'override'
        ? [
            `DESCRIPTION:${text(
              `Override${segment.covers === undefined ? '' : `: covers ${segment.covers}`}`,
            )}`,
          ]
        : []),
      'TRANSP:TRANSPARENT',
      'END:VEVENT',
    ]),
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
