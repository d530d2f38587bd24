/**
 * How a weak optical signal shows in the interface counters. A receiver is error-free well above
 * its sensitivity; below a knee the bit error rate, and with it the frames failing their check
 * (ifInErrors), climbs about tenfold per 2 dB, until the light is gone and the link drops.
 */

/** Received power above which a port counts no errors, dBm (10GBASE-LR reads about -8). */
export const ERROR_FREE_ABOVE_DBM = -12.5;
/** dB of lost power per tenfold rise of the error rate. */
const DB_PER_DECADE = 2;

/**
 * Errored frames received per second at a received optical power: 0 at or above
 * `ERROR_FREE_ABOVE_DBM` (and for the normal level, undefined); about 2/s at -13 dBm, 30/s at
 * -15.5, 560/s at -18 and 30,000/s at -21.5. Whole frames per second are not needed: the counter
 * keeps the fraction by counting from the start of the stretch.
 */
export function inErrorsPerSecond(dbm: number | undefined): number {
  if (dbm === undefined || dbm >= ERROR_FREE_ABOVE_DBM) return 0;
  return 10 ** ((ERROR_FREE_ABOVE_DBM - dbm) / DB_PER_DECADE);
}
