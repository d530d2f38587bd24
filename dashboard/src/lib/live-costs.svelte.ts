import type { ServiceLiveCost } from '@faultline/shared';
import { getJson } from './api.js';

/**
 * The live cost of every service (`GET /api/live-cost`), read again every `intervalMs`: the
 * billing bridge recomputes it every `billing.liveIntervalS` (60 s by default). A failed read
 * keeps the last costs and says why.
 */
export class LiveCosts {
  costs = $state.raw<ServiceLiveCost[]>([]);
  problem = $state<string | null>(null);
  #timer: ReturnType<typeof setInterval> | undefined;

  start(token: string, intervalMs = 15_000): void {
    this.stop();
    const read = (): void => {
      getJson<{ services: ServiceLiveCost[] }>('/api/live-cost', token).then(
        (answer) => {
          this.costs = answer.services;
          this.problem = null;
        },
        (error: unknown) => {
          this.problem = error instanceof Error ? error.message : 'live cost unavailable';
        },
      );
    };
    read();
    this.#timer = setInterval(read, intervalMs);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
