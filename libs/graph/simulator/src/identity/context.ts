import type { Clock } from '@ocb/clock';
import { randomBytes, randomUUID } from 'node:crypto';
import { HttpResponse } from 'msw';
import type { SimAppRegistration, SimUser } from '../state/types';
import { aadTimestamp, type AadErrorContext } from './errors';
import { generateSigningKey, type SigningKey } from './jwt';

export const DEFAULT_TOKEN_LIFETIME_SECONDS = 3600;

export interface IdentityPlatformDeps {
  tenantId: string;
  apps: () => SimAppRegistration[];
  findUser: (idOrUpn: string) => SimUser | undefined;
  listUsers: () => SimUser[];
  clock: Clock;
  tokenLifetimeSeconds?: number;
  /** Source of ids, codes and refresh tokens; crypto randomness when omitted. */
  random?: () => number;
  /** Reuse a signing key (e.g. across simulator instances in tests); one is generated otherwise. */
  signingKey?: SigningKey;
}

/** What every part of the identity platform shares: the tenant, its apps and users, the token lifetime, ids and the signing key. */
export class IdentityContext {
  readonly clock: Clock;
  readonly tenantId: string;
  readonly configuredLifetime: number;
  lifetimeSeconds: number;
  private key: SigningKey | undefined;
  private readonly randomByte: (() => number) | undefined;

  constructor(readonly deps: IdentityPlatformDeps) {
    this.clock = deps.clock;
    this.tenantId = deps.tenantId;
    this.configuredLifetime = deps.tokenLifetimeSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
    this.lifetimeSeconds = this.configuredLifetime;
    this.key = deps.signingKey;
    const random = deps.random;
    this.randomByte = random ? () => Math.floor(random() * 256) & 0xff : undefined;
  }

  signingKey(): SigningKey {
    return (this.key ??= generateSigningKey());
  }

  bytes(n: number): Buffer {
    const randomByte = this.randomByte;
    if (!randomByte) return randomBytes(n);
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = randomByte();
    return b;
  }

  newId(): string {
    if (!this.randomByte) return randomUUID();
    const b = this.bytes(16);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  errCtx(): AadErrorContext {
    return { now: this.clock.now(), newId: () => this.newId() };
  }

  tenantAccepted(tenant: string | readonly string[] | undefined): boolean {
    const t = String(tenant ?? '').toLowerCase();
    return t === this.tenantId.toLowerCase() || t === 'organizations' || t === 'common';
  }

  findApp(clientId: string | null): SimAppRegistration | undefined {
    return clientId ? this.deps.apps().find((a) => a.clientId.toLowerCase() === clientId.toLowerCase()) : undefined;
  }

  resolveUser(hint: string | null): SimUser | undefined {
    if (!hint) return undefined;
    const direct = this.deps.findUser(hint);
    if (direct) return direct;
    const h = hint.toLowerCase();
    return this.deps
      .listUsers()
      .find((u) => u.id.toLowerCase() === h || u.userPrincipalName.toLowerCase() === h || u.mail?.toLowerCase() === h);
  }

  aadErrorBodyDescription(code: number, message: string): string {
    return `AADSTS${code}: ${message}\r\nTrace ID: ${this.newId()}\r\nCorrelation ID: ${this.newId()}\r\nTimestamp: ${aadTimestamp(this.clock.now())}`;
  }

  invalidTenant(tenant: string): Response {
    return HttpResponse.json(
      {
        error: 'invalid_tenant',
        error_description: this.aadErrorBodyDescription(90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`),
        error_codes: [90002],
      },
      { status: 400 },
    );
  }
}
