import { createHash, randomBytes } from 'node:crypto';

/** A new API key: `jz_` and 256 random bits, base64url. */
export function generateKey(): string {
  return `jz_${randomBytes(32).toString('base64url')}`;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function keyPrefix(key: string): string {
  return key.slice(0, 7);
}
