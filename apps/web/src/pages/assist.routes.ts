import { ServiceError, type TimeZoneInfo } from '@ocb/service-clients';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { pageContext } from './context';
import { busyText } from './assist-conflicts';
import { slotLabel, durationOf, type AssistState, type SlotView } from './assist.view';
import { requireUser } from './auth.routes';
import type { PageDeps } from './deps';
import { errorPage } from './errors';
import { eventFormPage, toEventForm } from './event-form.routes';
import { userZone } from './format';

type Fields = Record<string, string | string[]>;

const WALL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const SUGGEST_DAYS = 7;

function upn(req: Request): string {
  return req.session.user?.upn ?? '';
}

/** JSON routes answer 401 JSON (not the sign-in page) when the session has ended. */
function requireUserJson(req: Request, res: Response, next: NextFunction): void {
  if (req.session.user) return next();
  res.status(401).json({ code: 'SESSION_EXPIRED', message: pageContext(req).t('sessionExpired') });
}

/** The wall time `minutes` after a wall time (both in the same zone). */
function addMinutes(wall: string, minutes: number): string {
  return new Date(Date.parse(`${wall}:00Z`) + minutes * 60_000).toISOString().slice(0, 16);
}

/** Now as a wall time in an IANA zone, rounded up to the next half hour. */
function nowIn(iana: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: iana, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date())
      .map((p) => [p.type, p.value]),
  );
  const wall = `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}`;
  const m = Number(parts['minute']);
  return addMinutes(wall.slice(0, 14) + '00', m === 0 ? 0 : m <= 30 ? 30 : 60);
}

export function assistRoutes(deps: PageDeps): Router {
  const r = Router();
  let zones: TimeZoneInfo[] | undefined;
  const timeZones = async () => (zones ??= await deps.platform.timeZones());

  r.get('/assist/people', requireUserJson, async (req: Request, res: Response) => {
    const q = typeof req.query['q'] === 'string' ? req.query['q'].trim().slice(0, 64) : '';
    if (q.length < 2) return res.json({ items: [] });
    try {
      const found = await deps.platform.directory(q, 8);
      res.json({ items: found.items.map((u) => ({ name: u.displayName ?? u.userPrincipalName, email: u.mail ?? u.userPrincipalName })) });
    } catch {
      res.status(503).json({ items: [] });
    }
  });

  r.post('/assist/conflicts', requireUserJson, async (req: Request, res: Response) => {
    const ctx = pageContext(req);
    const form = toEventForm(req.body as Fields);
    const attendees = form['attendees'] as string[];
    if (!form['start'] || !form['end'] || !attendees.length || !form['timeZone']) return res.json({ text: '', busy: [] });
    try {
      const a = await deps.platform.availability(upn(req), { start: String(form['start']), end: String(form['end']), timeZone: String(form['timeZone']), attendees });
      const busy = a.schedules.filter((s) => !s.isOrganizer).flatMap((s) => s.busy.filter((b) => b.status !== 'free').map((b) => ({ email: s.email, startUtc: b.startUtc, endUtc: b.endUtc })));
      const text = busy.length ? ctx.t('conflicts', { who: busyText(ctx, userZone(req.headers.cookie), busy) }) : ctx.t('noConflicts');
      res.json({ text, busy });
    } catch (e) {
      // a half-typed form (end before start, a partial address) is no news; a service down is
      if (e instanceof ServiceError && e.status < 500 && e.code !== 'CONSENT_REQUIRED') return res.json({ text: '', busy: [] });
      res.json({ text: ctx.t('assistUnavailable'), busy: [] });
    }
  });

  /** The suggested slots for the form's attendees and duration, from its start (or now) over 7 days. */
  async function suggest(req: Request, f: Fields): Promise<AssistState> {
    const ctx = pageContext(req);
    const form = toEventForm(f);
    const zone = (await timeZones()).find((z) => z.id === form['timeZone']) ?? { id: 'UTC', iana: 'UTC' };
    const now = nowIn(zone.iana);
    const start = typeof f['start'] === 'string' && WALL.test(f['start']) && f['start'] > now ? f['start'] : now;
    try {
      const answer = await deps.platform.meetingTimes(upn(req), {
        start,
        end: addMinutes(start, SUGGEST_DAYS * 1440),
        timeZone: zone.id,
        attendees: form['attendees'] as string[],
        durationMinutes: durationOf(f),
        maxCandidates: 6,
      });
      const viewZone = userZone(req.headers.cookie);
      const slots: SlotView[] = answer.suggestions.map((s) => ({
        start: s.start.dateTime.slice(0, 16),
        end: s.end.dateTime.slice(0, 16),
        label: slotLabel(s.startUtc, s.endUtc, ctx.locale, viewZone),
      }));
      return slots.length ? { slots } : { message: ctx.t('noSuggestions') };
    } catch (e) {
      if (e instanceof ServiceError && e.status < 500 && e.code !== 'CONSENT_REQUIRED') return { message: e.message };
      return { message: ctx.t('assistUnavailable') };
    }
  }

  r.post('/assist/meeting-times', requireUserJson, async (req: Request, res: Response) => {
    res.json(await suggest(req, req.body as Fields));
  });

  // Without JavaScript: "Suggest times" and the slot buttons submit the form here; it comes back filled in.
  r.post('/events/new/suggest', requireUser, async (req: Request, res: Response) => {
    const ctx = pageContext(req);
    const f = { ...(req.body as Fields) };
    try {
      const pick = typeof f['pick'] === 'string' ? f['pick'].split('|') : [];
      let state: AssistState;
      if (pick.length === 2 && WALL.test(pick[0] ?? '') && WALL.test(pick[1] ?? '')) {
        f['start'] = pick[0] ?? '';
        f['end'] = pick[1] ?? '';
        state = { message: ctx.t('slotChosen', { when: slotLabel(`${f['start']}:00Z`, `${f['end']}:00Z`, ctx.locale, 'UTC') }) };
      } else state = await suggest(req, f);
      res.type('html').send(eventFormPage(ctx, await timeZones(), f, {}, '/events/new', ctx.t('createEvent'), { assist: state }));
    } catch (e) {
      errorPage(req, res, e);
    }
  });
  return r;
}
