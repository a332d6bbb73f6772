/** Dates and times through Intl, in the user's zone. */
export function dayKey(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(new Date(iso));
}

export function timeRange(startIso: string, endIso: string, locale: string, timeZone: string): string {
  const f = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' });
  return `${f.format(new Date(startIso))} – ${f.format(new Date(endIso))}`;
}

export function dateTime(iso: string, locale: string, timeZone: string): string {
  return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(new Date(iso));
}

/** The user's zone: the browser's (cookie `tz` set by app.js) when valid, else UTC. */
export function userZone(cookieHeader: string | undefined): string {
  const m = /(?:^|;\s*)tz=([^;]+)/.exec(cookieHeader ?? '');
  const zone = m?.[1] ? decodeURIComponent(m[1]) : 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return 'UTC';
  }
}
