/** Helpers for the simulator's own specs (not exported from the lib). */
import { FakeClock } from '@ocb/clock';
import { getResponse } from 'msw';
import { generateSigningKey, type SigningKey } from '../identity';
import { createSimulator, type Simulator, type SimulatorOptions } from '../simulator';
import type { SimUser } from '../state/types';

let key: SigningKey | undefined;

export const GRAPH = 'https://graph.microsoft.com/v1.0';

export const people: SimUser[] = [
  { id: '11111111-0000-4000-8000-000000000001', userPrincipalName: 'adele@contoso.com', mail: 'adele@contoso.com', displayName: 'Adele Vance', givenName: 'Adele', surname: 'Vance', hasMailbox: true, timeZone: 'Pacific Standard Time' },
  { id: '11111111-0000-4000-8000-000000000002', userPrincipalName: 'alex@contoso.com', mail: 'alex@contoso.com', displayName: 'Alex Wilber', givenName: 'Alex', surname: 'Wilber', hasMailbox: true, timeZone: 'UTC' },
  { id: '11111111-0000-4000-8000-000000000003', userPrincipalName: 'nobox@contoso.com', mail: 'nobox@contoso.com', displayName: 'No Box', givenName: 'No', surname: 'Box', hasMailbox: false, timeZone: 'UTC' },
];

export function testSimulator(options: SimulatorOptions = {}): { sim: Simulator; clock: FakeClock } {
  const clock = (options.clock as FakeClock | undefined) ?? new FakeClock('2026-03-02T09:00:00.000Z');
  key ??= generateSigningKey();
  const sim = createSimulator({ signingKey: key, ...options, clock });
  // these specs exercise every route, writes included, with one app-only token: the tenant grants
  // its app Calendars.ReadWrite (the default registration, least privilege, only reads)
  for (const app of sim.state.apps) app.appRoles = ['Calendars.ReadWrite', 'User.Read.All'];
  if (!options.tenant) sim.seed({ tenant: { users: people } });
  return { sim, clock };
}

/**
 * A JSON answer read loosely by the assertions: every member, element or method is Json again
 * (compare with `expect`; where a test needs a string it says `text(...)`, a typed shape `as unknown as T`).
 */
export interface Json {
  readonly [key: string]: Json;
  readonly [index: number]: Json;
  (...args: unknown[]): Json;
  [Symbol.iterator](): Iterator<Json>;
}

/** A member that holds a string (a link, an id), else undefined. */
export function text(j: Json | undefined): string | undefined {
  const v: unknown = j;
  return typeof v === 'string' ? v : undefined;
}

export interface Call {
  status: number;
  headers: Headers;
  body: Json;
}

/** Sends a request through the simulator's handlers (as the standalone server does). */
export async function call(sim: Simulator, method: string, url: string, init: { token?: string | null; body?: unknown; headers?: Record<string, string> } = {}): Promise<Call> {
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? sim.appToken()}`;
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const full = url.startsWith('http') ? url : GRAPH + url;
  const res = await getResponse(sim.handlers, new Request(full, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }));
  if (!res) throw new Error(`unhandled ${method} ${full}`);
  if (res.type === 'error') return { status: 0, headers: new Headers(), body: null as unknown as Json };
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Json };
}

export const lunch = {
  subject: "Let's go for lunch",
  body: { contentType: 'HTML', content: 'Does noon work for you?' },
  start: { dateTime: '2026-03-04T12:00:00', timeZone: 'Pacific Standard Time' },
  end: { dateTime: '2026-03-04T13:00:00', timeZone: 'Pacific Standard Time' },
  location: { displayName: "Harry's Bar" },
  attendees: [{ emailAddress: { address: 'alex@contoso.com', name: 'Alex Wilber' }, type: 'required' }],
};
