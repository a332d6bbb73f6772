/**
 * The web pages' server time: one signed-in user's pages, each fetched `samples` times one after the
 * other over loopback (after a few warm-up requests), on a running stack (tools/bench/stack.ts, on
 * its ~100,000 cached events). The time is request → last byte of the page as the web app serves
 * it, which includes the web app's calls to sync, actions and auth behind it. Every answer must be
 * a 200 with the page's own heading, so a broken page is never timed as a fast one.
 *
 * Signing in takes the same path as a browser: `/sign-in` → the simulated identity platform's
 * authorize endpoint (the user named with `user=`, as its account picker's link does) → the web's
 * `/auth/callback` with the code → the session cookie.
 */
import { request as httpsRequest } from 'node:https';
import { percentile, PLATFORM, serviceCall } from './support';

export interface PageTiming {
  path: string;
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  bytes: number;
}

interface Answer {
  status: number;
  location: string | null;
  setCookie: string[];
  body: string;
}

/** A minimal cookie jar: the web app's session cookie, sent back on every request. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(setCookie: string[]): void {
    for (const c of setCookie) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

async function httpGet(url: string, jar: Jar): Promise<Answer> {
  const r = await fetch(url, { redirect: 'manual', headers: { Cookie: jar.header(), 'Accept-Language': 'en-US' } });
  const setCookie = r.headers.getSetCookie();
  jar.take(setCookie);
  return { status: r.status, location: r.headers.get('location'), setCookie, body: await r.text() };
}

/** The simulator's authorize endpoint over HTTPS with the stack's certificate; its redirect. */
function simulatorGet(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca }, (r) => {
      r.resume();
      const location = r.headers.location;
      if (r.statusCode && r.statusCode >= 300 && r.statusCode < 400 && location) resolve(location);
      else reject(new Error(`the identity platform answered ${r.statusCode} to ${url.split('?')[0]}`));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Signs `user` (id or UPN) in to the web app; the jar then holds the session. */
export async function signIn(web: string, simCa: string, user: string): Promise<Jar> {
  const jar = new Jar();
  const start = await httpGet(`${web}/sign-in?returnTo=%2Fevents`, jar);
  if (!start.location) throw new Error(`/sign-in answered ${start.status} without a redirect`);
  const authorize = new URL(start.location);
  authorize.searchParams.set('user', user);
  const callback = await simulatorGet(authorize.toString(), simCa);
  const done = await httpGet(new URL(callback, web).toString(), jar);
  if (done.status >= 400 || !done.location?.endsWith('/events')) throw new Error(`/auth/callback answered ${done.status} → ${done.location}: ${done.body.slice(0, 300)}`);
  return jar;
}

/** The page's `<h1>` text (tags inside it dropped). */
function heading(html: string): string {
  const m = /<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html);
  return m ? m[1].replace(/<[^>]+>/g, '').trim() : '';
}

async function timePage(web: string, jar: Jar, path: string, expectHeading: RegExp, samples: number, warmup: number): Promise<PageTiming> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < warmup + samples; i++) {
    const t0 = performance.now();
    const a = await httpGet(`${web}${path}`, jar);
    const ms = performance.now() - t0;
    if (a.status !== 200) throw new Error(`${path} answered ${a.status}${a.location ? ` → ${a.location}` : ''}`);
    const h = heading(a.body);
    if (!expectHeading.test(h)) throw new Error(`${path}: the page's heading is "${h}", not ${String(expectHeading)}`);
    if (i >= warmup) times.push(ms);
    bytes = Buffer.byteLength(a.body);
  }
  times.sort((x, y) => x - y);
  return { path, samples, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), maxMs: times[times.length - 1] ?? NaN, bytes };
}

/**
 * Every page of the microapps one signed-in user can open without writing anything: Upcoming (and
 * its search), Event Detail, Create Event, Edit Event (of an event the user organizes), My Office
 * Hours, Create Office Hours, and the reminders (the bell's page).
 */
export async function measurePages(o: { web: string; sync: string; simCa: string; user: string; samples: number; warmup?: number }): Promise<Record<string, PageTiming>> {
  const jar = await signIn(o.web, o.simCa, o.user);
  const events = await serviceCall<{ items: Array<{ id: string; subject: string; isOrganizer: boolean }> }>(o.sync, 'GET', `api/users/${encodeURIComponent(o.user)}/events?limit=50`, PLATFORM);
  const first = events.items[0];
  const organized = events.items.find((e) => e.isOrganizer);
  if (!first || !organized) throw new Error(`${o.user} has no upcoming event it organizes in the cache`);
  const word = first.subject.split(/\s+/).find((w) => w.length >= 4) ?? first.subject;
  const pages: Array<[string, string, RegExp]> = [
    ['upcoming', '/events', /^Upcoming events$/],
    ['search', `/events?q=${encodeURIComponent(word.toLowerCase())}`, /^Upcoming events$/],
    ['detail', `/events/${encodeURIComponent(first.id)}`, /\S/],
    ['createEvent', '/events/new', /^Create event$/i],
    ['editEvent', `/events/${encodeURIComponent(organized.id)}/edit`, /^Edit event$/i],
    ['officeHours', '/office-hours', /office hours/i],
    ['createOfficeHours', '/office-hours/new', /office hours/i],
    ['reminders', '/reminders', /reminder/i],
  ];
  const out: Record<string, PageTiming> = {};
  for (const [name, path, h] of pages) out[name] = await timePage(o.web, jar, path, h, o.samples, o.warmup ?? 5);
  return out;
}
