/**
 * Slows down token guessing: after `maxFailures` refused tokens from one client address within a
 * window, that address is refused (HTTP 429, socket.io `rate-limited`) until the window ends,
 * whatever token it presents. Counted in Redis so every api node shares the count.
 */
export interface AuthFailureGuard {
  /** Whether the address has used up its failures for the current window. */
  isBlocked(address: string): Promise<boolean>;
  /** Counts one refused token from the address. */
  recordFailure(address: string): Promise<void>;
}
