/**
 * The current time, ticking once a second, for the wall clock and alarm ages. One clock per
 * view keeps every age on screen consistent with the clock beside them.
 */
export class Clock {
  now = $state(Date.now());
  #timer: ReturnType<typeof setInterval> | undefined;

  start(): void {
    this.stop();
    this.now = Date.now();
    this.#timer = setInterval(() => {
      this.now = Date.now();
    }, 1000);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
