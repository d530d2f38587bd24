declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';
  /** Decrypts an RFC 8188 body; for Web Push (aes128gcm) the sender's key is in the header. */
  export function decrypt(
    buffer: Buffer,
    params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: string },
  ): Buffer;
}
