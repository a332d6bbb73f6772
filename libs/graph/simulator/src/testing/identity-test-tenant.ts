import { FakeClock } from '@ocb/clock';
import type { SimAppRegistration, SimUser } from '../state/types';
import { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID } from '../state/types';
import { createIdentityPlatform, type IdentityPlatform } from '../identity/platform';
import { generateSigningKey, type SigningKey } from '../identity/jwt';

/** A small tenant for identity specs (not part of the public surface). */
export const REDIRECT_URI = 'http://localhost:3001/app/api/auth/serviceAction/callback';

export const testUsers: SimUser[] = [
  { id: 'a1b2c3d4-0000-4000-8000-000000000001', userPrincipalName: 'AdeleV@contoso.onmicrosoft.com', mail: 'adele.vance@contoso.com', displayName: 'Adele Vance', givenName: 'Adele', surname: 'Vance', hasMailbox: true, timeZone: 'Pacific Standard Time' },
  { id: 'a1b2c3d4-0000-4000-8000-000000000002', userPrincipalName: 'AlexW@contoso.onmicrosoft.com', mail: 'alex.wilber@contoso.com', displayName: 'Alex Wilber', givenName: 'Alex', surname: 'Wilber', hasMailbox: true, timeZone: 'UTC' },
];

export const testApp: SimAppRegistration = {
  clientId: DEFAULT_CLIENT_ID,
  clientSecret: DEFAULT_CLIENT_SECRET,
  displayName: 'Calendar Bridge',
  redirectUris: [REDIRECT_URI],
  appRoles: ['Calendars.ReadWrite', 'User.Read.All'],
  delegatedScopes: ['Calendars.ReadWrite', 'User.Read', 'MailboxSettings.Read'],
};

let sharedKey: SigningKey | undefined;

export function testIdentity(options: { clock?: FakeClock; random?: () => number } = {}): { identity: IdentityPlatform; clock: FakeClock } {
  const clock = options.clock ?? new FakeClock('2026-03-02T09:00:00.000Z');
  sharedKey ??= generateSigningKey();
  const identity = createIdentityPlatform({
    tenantId: DEFAULT_TENANT_ID,
    apps: () => [testApp],
    findUser: (idOrUpn) => testUsers.find((u) => u.id === idOrUpn || u.userPrincipalName.toLowerCase() === idOrUpn.toLowerCase()),
    listUsers: () => testUsers,
    clock,
    random: options.random,
    signingKey: sharedKey,
  });
  return { identity, clock };
}
