import type { ErrorRates } from '@faultline/shared/network-view';

/** Packets per second for people: `0/s`, `0.25/s`, `6.5/s`, `560/s`, `31.6k/s`; `–` for none. */
export function formatPacketRate(perS: number | null): string {
  if (perS === null) return '–';
  if (perS === 0) return '0/s';
  if (perS < 0.005) return '<0.01/s';
  if (perS >= 999.5) {
    const thousands = perS / 1000;
    return `${thousands.toFixed(thousands >= 99.95 ? 0 : 1)}k/s`;
  }
  return `${perS.toFixed(perS >= 9.95 ? 0 : perS >= 1 ? 1 : 2)}/s`;
}

/**
 * An interface's errors and discards in one line, only the directions that have some:
 * `6.0/s errors in · 1.0/s discards out`; empty when all are zero or missing.
 */
export function errorRatesLine(rates: ErrorRates): string {
  const parts: [number | null, string][] = [
    [rates.inErrorsPs, 'errors in'],
    [rates.outErrorsPs, 'errors out'],
    [rates.inDiscardsPs, 'discards in'],
    [rates.outDiscardsPs, 'discards out'],
  ];
  return parts
    .filter(([perS]) => perS !== null && perS > 0)
    .map(([perS, what]) => `${formatPacketRate(perS)} ${what}`)
    .join(' · ');
}

/** One direction pair for a table cell: `6.0/s in · 0/s out`, or `–` with no rate at all. */
export function inOutRates(inPerS: number | null, outPerS: number | null): string {
  if (inPerS === null && outPerS === null) return '–';
  return `${formatPacketRate(inPerS)} in · ${formatPacketRate(outPerS)} out`;
}
