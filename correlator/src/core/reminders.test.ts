import { describe, expect, it } from 'vitest';
import { MAX_REMINDERS, remindersDue, type ReminderState } from './reminders.js';

const base: ReminderState = {
  incidentId: 'inc-1',
  state: 'open',
  announced: true,
  announcedAtMs: 0,
  remindersSent: 0,
  lastReminderAtMs: undefined,
};
const ACK = 60_000;

describe('remindersDue', () => {
  it.each([
    ['not yet', base, 59_999, []],
    ['first after the ack timeout', base, 60_000, [1]],
    [
      'second waits twice as long',
      { ...base, remindersSent: 1, lastReminderAtMs: 60_000 },
      179_999,
      [],
    ],
    ['second', { ...base, remindersSent: 1, lastReminderAtMs: 60_000 }, 180_000, [2]],
    ['acknowledged', { ...base, state: 'acknowledged' as const }, 1e9, []],
    ['resolved', { ...base, state: 'resolved' as const }, 1e9, []],
    ['never pushed (maintenance)', { ...base, announced: false }, 1e9, []],
    [
      'at most MAX_REMINDERS',
      { ...base, remindersSent: MAX_REMINDERS, lastReminderAtMs: 0 },
      1e15,
      [],
    ],
  ])('%s', (_label, incident, now, expected) => {
    expect(remindersDue([incident], now, ACK).map((d) => d.reminder)).toEqual(expected);
  });
});
