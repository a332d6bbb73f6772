import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { APP_CONFIG } from '@ocb/config';
import type { AuthConfig } from '../config/auth.config';

/** One sealed value: the id of the key that sealed it and `base64url(iv | tag | ciphertext)`. */
export interface Sealed {
  keyId: string;
  data: string;
}

interface Key {
  id: string;
  key: Buffer;
}

const SALT = Buffer.from('ocb-auth-token-store/v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A 256-bit AES key from any secret string (HKDF-SHA256). */
export function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), SALT, Buffer.from('aes-256-gcm'), 32));
}

/** Public, stable id of a secret (never the secret itself): stored with each record. */
export function keyIdOf(secret: string): string {
  return `k${createHash('sha256').update(deriveKey(secret)).update('key-id').digest('hex').slice(0, 15)}`;
}

/** Parses TOKEN_ENCRYPTION_OLD_KEYS (`kid:secret,kid:secret`). */
export function parseOldKeys(value: string): Array<{ label: string; secret: string }> {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const i = entry.indexOf(':');
      if (i <= 0 || i === entry.length - 1) throw new Error('TOKEN_ENCRYPTION_OLD_KEYS: each entry must be keyId:secret');
      return { label: entry.slice(0, i), secret: entry.slice(i + 1) };
    });
}

/**
 * AES-256-GCM for the token store. New values are sealed with TOKEN_ENCRYPTION_KEY; values sealed
 * with an earlier key (TOKEN_ENCRYPTION_OLD_KEYS) stay readable and are reported as stale so the
 * caller re-seals them. `context` (e.g. the user id) is bound as additional data: a value copied
 * to another row does not open.
 */
@Injectable()
export class TokenCrypto {
  private readonly current: Key;
  private readonly byId = new Map<string, Key>();

  constructor(@Inject(APP_CONFIG) config: Pick<AuthConfig, 'TOKEN_ENCRYPTION_KEY' | 'TOKEN_ENCRYPTION_OLD_KEYS'>) {
    this.current = { id: keyIdOf(config.TOKEN_ENCRYPTION_KEY), key: deriveKey(config.TOKEN_ENCRYPTION_KEY) };
    for (const old of parseOldKeys(config.TOKEN_ENCRYPTION_OLD_KEYS)) {
      const key = { id: keyIdOf(old.secret), key: deriveKey(old.secret) };
      // Readable under the operator's label and under the derived id it was written with.
      this.byId.set(old.label, key);
      this.byId.set(key.id, key);
    }
    this.byId.set(this.current.id, this.current);
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  seal(plaintext: string, context: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.current.id, data: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url') };
  }

  /** Opens a sealed value; `stale` when it was sealed with an old key. Throws when it cannot be opened. */
  open(sealed: Sealed, context: string): { plaintext: string; stale: boolean } {
    const key = this.byId.get(sealed.keyId);
    if (!key) throw new Error(`token store: no key with id ${sealed.keyId} (add it to TOKEN_ENCRYPTION_OLD_KEYS)`);
    const raw = Buffer.from(sealed.data, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('token store: sealed value too short');
    const decipher = createDecipheriv('aes-256-gcm', key.key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plaintext = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    return { plaintext, stale: key.id !== this.current.id };
  }
}
