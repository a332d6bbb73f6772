import { call, type Json, lunch, people, testSimulator } from '../testing/simulator-test-kit';

const [adele] = people;

const standup = {
  subject: 'Daily standup',
  start: { dateTime: '2026-03-03T09:00:00', timeZone: 'UTC' },
  end: { dateTime: '2026-03-03T09:15:00', timeZone: 'UTC' },
  recurrence: {
    pattern: { type: 'daily', interval: 1 },
    range: { type: 'numbered', startDate: '2026-03-03', numberOfOccurrences: 5 },
  },
};
const review = {
  subject: 'Office hours: review',
  start: { dateTime: '2026-03-05T15:00:00', timeZone: 'UTC' },
  end: { dateTime: '2026-03-05T16:00:00', timeZone: 'UTC' },
  recurrence: {
    pattern: { type: 'weekly', interval: 1, daysOfWeek: ['thursday'] },
    range: { type: 'endDate', startDate: '2026-03-05', endDate: '2026-04-30' },
  },
};

async function seeded() {
  const { sim } = testSimulator();
  for (const e of [lunch, standup, review, { ...lunch, subject: 'Lunch again', start: { dateTime: '2026-03-06T12:00:00', timeZone: 'UTC' }, end: { dateTime: '2026-03-06T13:00:00', timeZone: 'UTC' } }]) {
    const r = await call(sim, 'POST', `/users/${adele.id}/events`, { body: e });
    expect(r.status).toBe(201);
  }
  const list = async (filter: string, extra = '') =>
    call(sim, 'GET', `/users/${adele.id}/events?$filter=${encodeURIComponent(filter)}&$select=subject,type${extra}`);
  return { sim, list };
}

const subjects = (body: Json): string[] => (body['value'] as unknown as Array<{ subject: string }>).map((e) => e.subject).sort();

describe('Graph simulator: $filter on /events', () => {
  it('lists only the series masters for type eq seriesMaster (and the singles for ne)', async () => {
    const { list } = await seeded();
    const masters = await list("type eq 'seriesMaster'");
    expect(masters.status).toBe(200);
    expect(subjects(masters.body)).toEqual(['Daily standup', 'Office hours: review']);
    expect(masters.body.value.every((e: { type: string }) => e.type === 'seriesMaster')).toBe(true);
    expect(subjects((await list("type ne 'seriesMaster'")).body)).toEqual(["Let's go for lunch", 'Lunch again']);
  });

  it('combines clauses with and/or and parentheses, compares start/dateTime in UTC, reads startswith and booleans', async () => {
    const { list } = await seeded();
    expect(subjects((await list("start/dateTime ge '2026-03-05T00:00:00' and type eq 'singleInstance'")).body)).toEqual(['Lunch again']);
    expect(subjects((await list("startswith(subject,'office hours') or subject eq 'Lunch again'")).body)).toEqual(['Lunch again', 'Office hours: review']);
    expect(subjects((await list("(type eq 'seriesMaster' or subject eq 'Lunch again') and end/dateTime lt '2026-03-04T00:00:00Z'")).body)).toEqual(['Daily standup']);
    expect((await list('isOrganizer eq true')).body.value).toHaveLength(4);
    expect((await list('isAllDay eq true')).body.value).toHaveLength(0);
    expect(subjects((await list("subject eq 'It''s not there' or subject eq 'daily standup'")).body)).toEqual(['Daily standup']);
  });

  it('pages a filtered list with the filter kept in @odata.nextLink', async () => {
    const { sim, list } = await seeded();
    const first = await list('isOrganizer eq true', '&$top=3');
    expect(first.body.value).toHaveLength(3);
    const next = String(first.body['@odata.nextLink']);
    expect(decodeURIComponent(next)).toContain('$filter=isOrganizer eq true');
    const second = await call(sim, 'GET', next);
    expect(second.body.value).toHaveLength(1);
    expect(second.body['@odata.nextLink']).toBeUndefined();
  });

  it.each([
    "type eq seriesMaster",
    "colour eq 'red'",
    "type gt 'seriesMaster'",
    "isOrganizer eq 'yes'",
    "start/dateTime ge 'not a date'",
    "type eq 'seriesMaster' and",
    ' ',
  ])('refuses %j with 400 ErrorInvalidUrlQueryFilter', async (filter) => {
    const { list } = await seeded();
    const r = await list(filter);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('ErrorInvalidUrlQueryFilter');
  });
});
