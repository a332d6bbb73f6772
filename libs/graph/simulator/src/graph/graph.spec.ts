import { call, lunch, people, testSimulator, text } from '../testing/simulator-test-kit';

const [adele, alex, nobox] = people;
const WINDOW = 'startDateTime=2026-03-01T00:00:00Z&endDateTime=2026-03-31T00:00:00Z';

describe('Graph v1.0 simulator: auth and errors', () => {
  it('answers 401 InvalidAuthenticationToken with WWW-Authenticate for missing and garbage tokens', async () => {
    const { sim } = testSimulator();
    const missing = await call(sim, 'GET', '/users', { token: null, headers: { 'client-request-id': 'abc-1' } });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('InvalidAuthenticationToken');
    expect(missing.body.error.innerError['client-request-id']).toBe('abc-1');
    expect(missing.headers.get('client-request-id')).toBe('abc-1');
    expect(missing.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(missing.headers.get('WWW-Authenticate')).toContain('authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"');
    const garbage = await call(sim, 'GET', '/users', { token: 'not.a.jwt' });
    expect(garbage.status).toBe(401);
  });

  it('rejects expired tokens', async () => {
    const { sim, clock } = testSimulator();
    const token = sim.appToken();
    await clock.advance(2 * 3600_000);
    const res = await call(sim, 'GET', '/users', { token });
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired/);
  });

  it('enforces app roles and delegated scopes with 403 ErrorAccessDenied', async () => {
    const { sim } = testSimulator();
    const noCal = await call(sim, 'GET', `/users/${adele.id}/calendarView?${WINDOW}`, { token: sim.appToken(['User.Read.All']) });
    expect(noCal.status).toBe(403);
    expect(noCal.body.error.code).toBe('ErrorAccessDenied');
    const readOnly = sim.appToken(['Calendars.Read']);
    expect((await call(sim, 'GET', `/users/${adele.id}/calendarView?${WINDOW}`, { token: readOnly })).status).toBe(200);
    expect((await call(sim, 'POST', `/users/${adele.id}/events`, { token: readOnly, body: lunch })).status).toBe(403);
    const delegated = sim.userToken(adele.userPrincipalName, ['Calendars.ReadWrite']);
    expect((await call(sim, 'GET', `/me/calendarView?${WINDOW}`, { token: delegated })).status).toBe(200);
    const other = await call(sim, 'GET', `/users/${alex.id}/calendarView?${WINDOW}`, { token: delegated });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('ErrorAccessDenied');
    const meWithApp = await call(sim, 'GET', `/me/calendarView?${WINDOW}`);
    expect(meWithApp.status).toBe(400);
  });

  it('answers 404 for unknown users and users without a mailbox', async () => {
    const { sim } = testSimulator();
    expect((await call(sim, 'GET', `/users/ghost@contoso.com/calendarView?${WINDOW}`)).body.error.code).toBe('ErrorInvalidUser');
    const nb = await call(sim, 'GET', `/users/${nobox.id}/calendarView?${WINDOW}`);
    expect(nb.status).toBe(404);
    expect(nb.body.error.code).toBe('MailboxNotEnabledForRESTAPI');
    expect((await call(sim, 'GET', '/users/ghost@contoso.com')).body.error.code).toBe('Request_ResourceNotFound');
  });

  it('requires the calendarView time window', async () => {
    const { sim } = testSimulator();
    const res = await call(sim, 'GET', `/users/${adele.id}/calendarView`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'ErrorInvalidParameter',
      message: 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    });
  });
});

describe('Graph v1.0 simulator: users', () => {
  it('pages /users with $top and @odata.nextLink, filters and selects', async () => {
    const { sim } = testSimulator({ tenant: { users: 25, eventsPerUser: 0, seed: 3 } });
    const first = await call(sim, 'GET', '/users?$top=10&$select=id,displayName');
    expect(first.body.value).toHaveLength(10);
    expect(Object.keys(first.body.value[0])).toEqual(['displayName', 'id']);
    const seen = [...first.body.value];
    let next = first.body['@odata.nextLink'];
    while (next) {
      expect(next).toContain('$skiptoken=');
      const page = await call(sim, 'GET', String(next));
      seen.push(...page.body.value);
      next = page.body['@odata.nextLink'];
    }
    expect(new Set(seen.map((u) => u.id)).size).toBe(25);
    const target = sim.state.users[4];
    const eq = await call(sim, 'GET', `/users?$filter=mail eq '${target.mail}'`);
    expect(eq.body.value.map((u: { id: string }) => u.id)).toEqual([target.id]);
    const sw = await call(sim, 'GET', `/users?$filter=startswith(displayName,'${target.givenName}')`);
    expect(sw.body.value.length).toBeGreaterThan(0);
    expect(sw.body.value.every((u: { displayName: string }) => u.displayName.startsWith(target.givenName))).toBe(true);
    const byUpn = await call(sim, 'GET', `/users/${target.userPrincipalName}`);
    expect(byUpn.body.id).toBe(target.id);
    const me = await call(sim, 'GET', '/me', { token: sim.userToken(target.id, ['User.Read']) });
    expect(me.body.id).toBe(target.id);
  });
});

describe('Graph v1.0 simulator: $filter on users', () => {
  const ids = async (sim: ReturnType<typeof testSimulator>['sim'], filter: string) => {
    const res = await call(sim, 'GET', `/users?$filter=${encodeURIComponent(filter)}`);
    return { status: res.status, code: text(res.body.error?.code), ids: ((res.body.value ?? []) as unknown as Array<{ id: string }>).map((u) => u.id) };
  };

  it('joins clauses with and/or and parentheses, case-insensitively', async () => {
    const { sim } = testSimulator();
    const [adele, alex] = sim.state.users;
    expect((await ids(sim, "displayName eq 'ADELE VANCE' or (givenName eq 'alex' and surname eq 'Wilber')")).ids).toEqual([adele.id, alex.id]);
    expect((await ids(sim, "startswith(mail,'ade') and surname eq 'Wilber'")).ids).toEqual([]);
  });

  it('reads a quoted value as one value, even with "or" or "and" inside', async () => {
    const { sim } = testSimulator();
    expect(await ids(sim, "displayName eq 'Tom or Jerry'")).toEqual({ status: 200, code: undefined, ids: [] });
    expect(await ids(sim, "displayName eq 'Rock and Roll' or displayName eq 'Adele Vance'")).toMatchObject({ status: 200, ids: [sim.state.users[0].id] });
  });

  it('refuses what the directory does not take here: 400 Request_UnsupportedQuery', async () => {
    const { sim } = testSimulator();
    for (const f of ["mail ne 'x'", "jobTitle eq 'x'", 'accountEnabled eq true', "mail eq 'x' or"])
      expect(await ids(sim, f)).toMatchObject({ status: 400, code: 'Request_UnsupportedQuery' });
  });
});

describe('Graph v1.0 simulator: events', () => {
  it('creates an event (201) with Graph fields and gives tenant attendees a copy', async () => {
    const { sim } = testSimulator();
    const res = await call(sim, 'POST', `/users/${adele.id}/events`, { body: { ...lunch, isOnlineMeeting: true } });
    expect(res.status).toBe(201);
    const ev = res.body;
    expect(ev).toMatchObject({ subject: lunch.subject, type: 'singleInstance', isOrganizer: true, seriesMasterId: null, isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' });
    expect(ev.start).toEqual({ dateTime: '2026-03-04T12:00:00.0000000', timeZone: 'Pacific Standard Time' });
    expect(ev.onlineMeeting.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    expect(ev.iCalUId).toMatch(/^040000008200E00074C5B7101A82E008/);
    expect(ev.webLink).toContain(encodeURIComponent(String(ev.id)));
    const view = await call(sim, 'GET', `/users/${alex.id}/calendarView?${WINDOW}`);
    expect(view.body.value).toHaveLength(1);
    const copy = view.body.value[0];
    expect(copy.id).not.toBe(ev.id);
    expect(copy).toMatchObject({ iCalUId: ev.iCalUId, isOrganizer: false, organizer: { emailAddress: { address: adele.mail } } });
    expect(copy.start).toEqual({ dateTime: '2026-03-04T20:00:00.0000000', timeZone: 'UTC' });
    expect(copy.responseStatus.response).toBe('notResponded');
  });

  it('returns the first event again for a repeated transactionId', async () => {
    const { sim } = testSimulator();
    const a = await call(sim, 'POST', `/users/${adele.id}/events`, { body: { ...lunch, transactionId: 'tx-1' } });
    const b = await call(sim, 'POST', `/users/${adele.id}/events`, { body: { ...lunch, transactionId: 'tx-1' } });
    expect(b.status).toBe(201);
    expect(b.body.id).toBe(a.body.id);
    expect(sim.state.records(sim.state.mailboxOf(adele.id)!)).toHaveLength(1);
  });

  it('validates bodies with 400 errors naming the property', async () => {
    const { sim } = testSimulator();
    const noEnd = await call(sim, 'POST', `/users/${adele.id}/events`, { body: { subject: 'x', start: lunch.start } });
    expect(noEnd.status).toBe(400);
    expect(noEnd.body.error.message).toMatch(/end/);
    const badZone = await call(sim, 'POST', `/users/${adele.id}/events`, { body: { ...lunch, start: { dateTime: '2026-03-04T12:00:00', timeZone: 'Mars/Base' } } });
    expect(badZone.status).toBe(400);
    const unknown = await call(sim, 'POST', `/users/${adele.id}/events`, { body: { ...lunch, colour: 'red' } });
    expect(unknown.body.error.code).toBe('RequestBodyRead');
    const backwards = await call(sim, 'POST', `/users/${adele.id}/events`, { body: { ...lunch, end: { dateTime: '2026-03-04T11:00:00', timeZone: 'Pacific Standard Time' } } });
    expect(backwards.status).toBe(400);
  });

  it('PATCH gives a new changeKey and updates attendee copies; DELETE cancels them', async () => {
    const { sim } = testSimulator();
    const created = (await call(sim, 'POST', `/users/${adele.id}/events`, { body: lunch })).body;
    const patched = await call(sim, 'PATCH', `/users/${adele.id}/events/${created.id}`, { body: { subject: 'Brunch', categories: ['Red category'] } });
    expect(patched.status).toBe(200);
    expect(patched.body.subject).toBe('Brunch');
    expect(patched.body.categories).toEqual(['Red category']);
    expect(patched.body.changeKey).not.toBe(created.changeKey);
    const copy = (await call(sim, 'GET', `/users/${alex.id}/calendarView?${WINDOW}`)).body.value[0];
    expect(copy.subject).toBe('Brunch');
    expect((await call(sim, 'DELETE', `/users/${adele.id}/events/${created.id}`)).status).toBe(204);
    expect((await call(sim, 'GET', `/users/${adele.id}/events/${created.id}`)).body.error.code).toBe('ErrorItemNotFound');
    const cancelled = (await call(sim, 'GET', `/users/${alex.id}/events/${copy.id}`)).body;
    expect(cancelled.isCancelled).toBe(true);
  });

  it('expands series in calendarView with stable occurrence ids; patching an occurrence makes an exception', async () => {
    const { sim } = testSimulator();
    const series = (
      await call(sim, 'POST', `/users/${adele.id}/events`, {
        body: {
          subject: 'Standup',
          start: { dateTime: '2026-03-02T09:00:00', timeZone: 'Pacific Standard Time' },
          end: { dateTime: '2026-03-02T09:15:00', timeZone: 'Pacific Standard Time' },
          recurrence: { pattern: { type: 'weekly', interval: 1, daysOfWeek: ['Monday', 'Wednesday'] }, range: { type: 'numbered', startDate: '2026-03-02', numberOfOccurrences: 6 } },
        },
      })
    ).body;
    expect(series.type).toBe('seriesMaster');
    expect(series.recurrence.pattern).toEqual({ type: 'weekly', interval: 1, month: 0, dayOfMonth: 0, daysOfWeek: ['monday', 'wednesday'], firstDayOfWeek: 'sunday', index: 'first' });
    expect(series.recurrence.range).toMatchObject({ type: 'numbered', numberOfOccurrences: 6, endDate: '0001-01-01', recurrenceTimeZone: 'Pacific Standard Time' });
    const view = await call(sim, 'GET', `/users/${adele.id}/calendarView?${WINDOW}&$top=50`, { headers: { Prefer: 'outlook.timezone="Pacific Standard Time"' } });
    expect(view.headers.get('Preference-Applied')).toBe('outlook.timezone="Pacific Standard Time"');
    const occ = view.body.value;
    expect(occ).toHaveLength(6);
    expect(occ.map((o: { start: { dateTime: string } }) => o.start.dateTime.slice(0, 16))).toEqual([
      '2026-03-02T09:00', '2026-03-04T09:00', '2026-03-09T09:00', '2026-03-11T09:00', '2026-03-16T09:00', '2026-03-18T09:00',
    ]);
    expect(new Set(occ.map((o: { id: string }) => o.id)).size).toBe(6);
    expect(occ.every((o: { seriesMasterId: string; type: string }) => o.seriesMasterId === text(series.id) && o.type === 'occurrence')).toBe(true);
    const again = await call(sim, 'GET', `/users/${adele.id}/calendarView?${WINDOW}&$top=50`);
    expect(again.body.value.map((o: { id: string }) => o.id)).toEqual(occ.map((o: { id: string }) => o.id));
    const moved = await call(sim, 'PATCH', `/users/${adele.id}/events/${occ[2].id}`, {
      body: { subject: 'Standup (moved)', start: { dateTime: '2026-03-10T10:00:00', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2026-03-10T10:15:00', timeZone: 'Pacific Standard Time' } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: occ[2].id, type: 'exception', seriesMasterId: series.id, subject: 'Standup (moved)' });
    const inst = await call(sim, 'GET', `/users/${adele.id}/events/${series.id}/instances?${WINDOW}`);
    expect(inst.body.value.map((o: { type: string }) => o.type)).toEqual(['occurrence', 'occurrence', 'exception', 'occurrence', 'occurrence', 'occurrence']);
    expect((await call(sim, 'DELETE', `/users/${adele.id}/events/${occ[3].id}`)).status).toBe(204);
    expect((await call(sim, 'GET', `/users/${adele.id}/calendarView?${WINDOW}`)).body.value).toHaveLength(5);
  });

  it('stores singleValueExtendedProperties and returns them with $expand', async () => {
    const { sim } = testSimulator();
    const propId = 'String {66f5a359-4659-4830-9070-00047ec6ac6e} Name OfficeHours';
    const created = (await call(sim, 'POST', `/users/${adele.id}/events`, { body: { ...lunch, singleValueExtendedProperties: [{ id: propId, value: 'true' }] } })).body;
    expect(created.singleValueExtendedProperties).toBeUndefined();
    const got = await call(sim, 'GET', `/users/${adele.id}/events/${created.id}?$expand=singleValueExtendedProperties($filter=id eq '${propId}')`);
    expect(got.body.singleValueExtendedProperties).toEqual([{ id: propId, value: 'true' }]);
  });

  it('pages calendarView by 10 with @odata.nextLink, honours $select and body-content-type', async () => {
    const { sim } = testSimulator();
    for (let d = 0; d < 12; d++) {
      await call(sim, 'POST', `/users/${alex.id}/events`, {
        body: { subject: `E${d}`, body: { contentType: 'html', content: '<p>Hello <b>there</b></p>' }, start: { dateTime: `2026-03-${String(d + 3).padStart(2, '0')}T10:00:00`, timeZone: 'UTC' }, end: { dateTime: `2026-03-${String(d + 3).padStart(2, '0')}T11:00:00`, timeZone: 'UTC' } },
      });
    }
    const first = await call(sim, 'GET', `/users/${alex.id}/calendarView?${WINDOW}&$select=subject,start,body`, { headers: { Prefer: 'outlook.body-content-type="text"' } });
    expect(first.body.value).toHaveLength(10);
    expect(Object.keys(first.body.value[0]).sort()).toEqual(['@odata.etag', 'body', 'id', 'start', 'subject']);
    expect(first.body.value[0].body).toEqual({ contentType: 'text', content: 'Hello there' });
    const second = await call(sim, 'GET', String(first.body['@odata.nextLink']), { headers: { Prefer: 'outlook.body-content-type="text"' } });
    expect(second.body.value.map((e: { subject: string }) => e.subject)).toEqual(['E10', 'E11']);
    expect(second.body['@odata.nextLink']).toBeUndefined();
  });
});
