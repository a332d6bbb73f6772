import type { ScheduleConflict } from '@ocb/service-clients';
import type { Request } from 'express';
import 'express-session';
import { pageContext } from './context';
import type { PageContext } from '../views/layout';
import { slotLabel } from './assist.view';
import { userZone } from './format';

declare module 'express-session' {
  interface SessionData {
    /** The conflicts actions reported for the event just created, shown once on its detail page. */
    createdConflicts?: { eventId: string; conflicts: Array<{ email: string; startUtc: string; endUtc: string }> };
  }
}

/** "who (when), …" for conflicts, in the user's zone. */
export function busyText(ctx: PageContext, zone: string, items: Array<{ email: string; startUtc: string; endUtc: string }>): string {
  const byWho = new Map<string, string[]>();
  for (const c of items) byWho.set(c.email, [...(byWho.get(c.email) ?? []), slotLabel(c.startUtc, c.endUtc, ctx.locale, zone)]);
  return [...byWho].map(([who, when]) => `${who} (${when.join(', ')})`).join('; ');
}

/**
 * Remembers what actions said about conflicts after a create, for the detail page's notice. The
 * session is saved before the caller redirects: express-session would otherwise send the 303 while
 * still saving, and the browser's GET of the detail page could load the session without it.
 */
export function rememberConflicts(req: Request, eventId: string, conflicts: ScheduleConflict[] | null | undefined): Promise<void> {
  req.session.createdConflicts = conflicts?.length ? { eventId, conflicts: conflicts.map((c) => ({ email: c.email, startUtc: c.startUtc, endUtc: c.endUtc })) } : undefined;
  return new Promise((resolve) => req.session.save(() => resolve()));
}

/** The notice on the detail page of the event just created with conflicts (once). */
export function takeConflictNotice(req: Request, eventId: string): string | null {
  const c = req.session.createdConflicts;
  if (!c || c.eventId !== eventId) return null;
  req.session.createdConflicts = undefined;
  const ctx = pageContext(req);
  return ctx.t('createdWithConflicts', { who: busyText(ctx, userZone(req.headers.cookie), c.conflicts) });
}
