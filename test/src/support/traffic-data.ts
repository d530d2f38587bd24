import type { Config } from '@faultline/shared';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * How loaded each interface of the example network is, as a fraction of its speed at the day's
 * peak: customer ports well under what they are sold on, one aggregation uplink busy.
 */
function peakShare(device: string, iface: string): number {
  if (device === 'agg-1' && iface === 'ge-0/0/1') return 0.93;
  if (device.startsWith('core')) return 0.35;
  if (device.startsWith('agg')) return 0.45;
  if (iface === 'ge-0/0/24') return 0.3;
  return 0.22;
}

/** A day's curve: quiet at night, busy in the afternoon, a little wobble from step to step. */
function curve(timeMs: number, seed: number): number {
  const day = (timeMs % DAY) / DAY;
  const wobble = 0.04 * Math.sin(timeMs / (7 * MINUTE) + seed);
  return Math.max(0.05, 0.55 + 0.4 * Math.sin(2 * Math.PI * (day - 0.35)) + wobble);
}

/**
 * Line protocol for the `interface` measurement of every configured interface, as the poller
 * writes it: a point every 5 minutes for the last day and every minute for the last hour, rates
 * under the speed, no errors or discards, oper status up; except for `down` ("device interface"),
 * down for the last ten minutes, and `errored`, receiving 30 errored packets a second (a weak
 * optic) and discarding 2 outbound for the last ten minutes.
 */
export function trafficLines(
  config: Pick<Config, 'devices'>,
  nowMs: number,
  down: readonly string[] = [],
  errored: readonly string[] = [],
): string[] {
  const lines: string[] = [];
  const times: number[] = [];
  const lastMinute = Math.floor(nowMs / MINUTE) * MINUTE;
  for (let t = lastMinute - DAY; t < lastMinute - 60 * MINUTE; t += 5 * MINUTE) times.push(t);
  for (let t = lastMinute - 60 * MINUTE; t <= lastMinute - MINUTE; t += MINUTE) times.push(t);
  for (const device of config.devices) {
    device.interfaces.forEach((entry, index) => {
      const isDown = down.includes(`${device.name} ${entry.name}`);
      const isErrored = errored.includes(`${device.name} ${entry.name}`);
      const speedBps = entry.speedMbps * 1e6;
      for (const t of times) {
        const share = peakShare(device.name, entry.name) * curve(t, index);
        const inBps = Math.round(speedBps * Math.min(0.99, share));
        const outBps = Math.round(inBps * 0.35);
        const [inErrors, outDiscards] =
          isErrored && t > lastMinute - 10 * MINUTE ? [30 + ((t / MINUTE) % 2), 2] : [0, 0];
        const rates =
          isDown && t > lastMinute - 10 * MINUTE
            ? ''
            : `in_bps=${String(inBps)},out_bps=${String(outBps)},` +
              `in_errors_ps=${String(inErrors)},out_errors_ps=0,` +
              `in_discards_ps=0,out_discards_ps=${String(outDiscards)},`;
        lines.push(
          `interface,device=${device.name},interface=${entry.name},ifIndex=${String(entry.ifIndex)} ` +
            `${rates}oper_status=${isDown && t > lastMinute - 10 * MINUTE ? '2' : '1'}i ${String(t)}`,
        );
      }
    });
  }
  return lines;
}
