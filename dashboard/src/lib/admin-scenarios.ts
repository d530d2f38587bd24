/** One scenario of the running simulator, as `GET /api/admin/scenarios` lists it. */
export interface ScenarioEntry {
  readonly name: string;
  readonly description: string;
  readonly valid: boolean;
}

/** What `POST /api/admin/scenarios/:name/run` answers once the simulator started the scenario. */
export interface ScenarioStarted {
  readonly scenario: string;
  readonly steps: number;
  readonly lengthMs: number;
  readonly speedup: number;
}

/** The bounds the api accepts for a speed-up. */
export const SPEEDUP_MIN = 0.001;
export const SPEEDUP_MAX = 10_000;

/**
 * Reads the speed-up field: empty means none (the api runs at 1×), otherwise a number within the
 * api's bounds. A problem is a message for the person who typed it.
 */
export function parseSpeedup(
  text: string,
):
  | { readonly ok: true; readonly speedup: number | undefined }
  | { readonly ok: false; readonly problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, speedup: undefined };
  const value = Number(trimmed);
  if (!Number.isFinite(value) || value < SPEEDUP_MIN || value > SPEEDUP_MAX) {
    return {
      ok: false,
      problem: `speed-up must be a number from ${String(SPEEDUP_MIN)} to ${String(SPEEDUP_MAX)}`,
    };
  }
  return { ok: true, speedup: value };
}

/** A scenario's length for people: `600 ms`, `6.3 s`, `3 min 10 s`. */
export function formatLengthMs(lengthMs: number): string {
  if (lengthMs < 1000) return `${String(lengthMs)} ms`;
  if (lengthMs < 60_000) return `${String(Math.round(lengthMs / 100) / 10)} s`;
  const seconds = Math.round(lengthMs / 1000);
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${String(minutes)} min` : `${String(minutes)} min ${String(rest)} s`;
}
