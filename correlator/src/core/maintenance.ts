import type { MaintenanceWindow } from '@faultline/shared';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const WEEK_MIN = 7 * 24 * 60;
const WEEKDAY_INDEX: Record<string, number> = {
  Mon: 0,
  Tue: 1,
  Wed: 2,
  Thu: 3,
  Fri: 4,
  Sat: 5,
  Sun: 6,
};

/** Minutes since Monday 00:00 local time in `timeZone` at `nowMs`, or undefined for a bad zone. */
export function minuteOfWeek(nowMs: number, timeZone: string): number | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(new Date(nowMs));
  } catch {
    return undefined;
  }
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = WEEKDAY_INDEX[part('weekday')];
  if (day === undefined) return undefined;
  return day * 1440 + Number(part('hour')) * 60 + Number(part('minute'));
}

/**
 * Whether a window is on at `nowMs`. One-off: `start` ≤ now < `end`. Weekly: now falls within
 * `durationMin` after `at` on one of `days`, in local time of `timeZone` (a slot may run past
 * midnight or the end of the week). A window with neither is never on.
 */
export function windowIsOn(window: MaintenanceWindow, nowMs: number): boolean {
  if (window.start !== undefined && window.end !== undefined) {
    if (Date.parse(window.start) <= nowMs && nowMs < Date.parse(window.end)) return true;
  }
  const recurring = window.recurring;
  if (recurring === undefined) return false;
  const now = minuteOfWeek(nowMs, recurring.timeZone);
  if (now === undefined) return false;
  const [hours, minutes] = recurring.at.split(':').map(Number);
  const at = (hours ?? 0) * 60 + (minutes ?? 0);
  return recurring.days.some((day) => {
    const start = DAYS.indexOf(day) * 1440 + at;
    const since = (((now - start) % WEEK_MIN) + WEEK_MIN) % WEEK_MIN;
    return since < recurring.durationMin;
  });
}

/** What maintenance covers right now: answers for alarms and services. */
export interface MaintenanceNow {
  /** The names of the windows on, for an alarm on `device` (and `component`), or none. */
  alarm(device: string, component: string | null): readonly string[];
  /** The names of the windows on for a service (by id, or the device and interface carrying it). */
  service(serviceId: string, device: string, iface: string): readonly string[];
}

/** The windows on at `nowMs`, as lookups. Pure. */
export function maintenanceAt(
  windows: readonly MaintenanceWindow[],
  nowMs: number,
): MaintenanceNow {
  const on = windows.filter((w) => windowIsOn(w, nowMs));
  const covers = (w: MaintenanceWindow, device: string, component: string | null) =>
    w.devices.includes(device) ||
    (component !== null && w.interfaces.includes(`${device}:${component}`));
  return {
    alarm: (device, component) => on.filter((w) => covers(w, device, component)).map((w) => w.name),
    service: (serviceId, device, iface) =>
      on
        .filter((w) => w.services.includes(serviceId) || covers(w, device, iface))
        .map((w) => w.name),
  };
}
