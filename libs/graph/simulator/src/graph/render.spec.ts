import { UTC_ZONE, resolveZone } from '../state/time';
import type { RenderPrefs } from './render';
import { renderInstance } from './render';
import { instanceJson } from './render-text';
import { call, lunch, people, testSimulator } from '../testing/simulator-test-kit';

const [adele, alex] = people;
const FROM = Date.parse('2026-02-20T00:00:00Z');
const TO = Date.parse('2026-07-01T00:00:00Z');

function prefsList(): RenderPrefs[] {
  const base = { select: null, expandExtended: null, outlookWebOrigin: 'https://outlook.office365.com' };
  const pacific = resolveZone('Pacific Standard Time')!;
  const tokyo = resolveZone('Asia/Tokyo')!;
  return [
    { ...base, zone: UTC_ZONE, zoneName: 'UTC', bodyText: false },
    { ...base, zone: UTC_ZONE, zoneName: 'UTC', bodyText: true },
    { ...base, zone: null, zoneName: null, bodyText: false },
    { ...base, zone: pacific, zoneName: 'Pacific Standard Time', bodyText: true },
    { ...base, zone: tokyo, zoneName: 'Asia/Tokyo', bodyText: false },
    { ...base, zone: tokyo, zoneName: null, bodyText: false, outlookWebOrigin: 'https://outlook.example/"q"' },
  ];
}

describe('instanceJson (the fast text of calendarView and delta items)', () => {
  it('equals JSON.stringify of the rendered object for every seeded item and preference set', () => {
    const { sim } = testSimulator({ tenant: { users: 25, eventsPerUser: 40, seed: 7 } });
    let n = 0;
    for (const prefs of prefsList()) {
      for (const mb of sim.state.mailboxes) {
        for (const inst of sim.state.view(mb, FROM, TO)) {
          expect(instanceJson(inst, prefs)).toBe(JSON.stringify(renderInstance(inst, prefs)));
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(1000);
  });

  it('follows changes: personal fields, organizer edits reaching copies, exceptions, odd text', async () => {
    const { sim } = testSimulator();
    const created = await call(sim, 'POST', `/users/${adele.id}/events`, {
      body: {
        ...lunch,
        subject: 'Quotes " \\ and \u2028 ünïcödé',
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        recurrence: { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate: '2026-03-04', numberOfOccurrences: 5 } },
        transactionId: 'tx-"1"',
        categories: ['Red "cat"'],
      },
    });
    expect(created.status).toBe(201);
    const mbA = sim.state.mailboxOf(adele.id)!;
    const mbX = sim.state.mailboxOf(alex.id)!;
    const check = (): void => {
      for (const prefs of prefsList()) {
        for (const mb of [mbA, mbX]) {
          for (const inst of sim.state.view(mb, FROM, TO)) {
            expect(instanceJson(inst, prefs)).toBe(JSON.stringify(renderInstance(inst, prefs)));
            const delta = instanceJson(inst, prefs, '{"@odata.type":"#microsoft.graph.event",');
            expect(JSON.parse(delta)).toEqual({ '@odata.type': '#microsoft.graph.event', ...renderInstance(inst, prefs) });
          }
        }
      }
    };
    check();
    const before = sim.state.view(mbX, FROM, TO).map((i) => instanceJson(i, prefsList()[0]));
    await call(sim, 'PATCH', `/users/${adele.id}/events/${created.body.id}`, { body: { subject: 'Renamed', location: { displayName: 'Elsewhere' } } });
    check();
    const after = sim.state.view(mbX, FROM, TO).map((i) => instanceJson(i, prefsList()[0]));
    expect(after.join()).toContain('Renamed');
    expect(after.join()).toContain('Elsewhere');
    expect(before.join()).not.toContain('Renamed');
    const occurrence = sim.state.view(mbA, FROM, TO).find((i) => i.type === 'occurrence')!;
    await call(sim, 'PATCH', `/users/${adele.id}/events/${occurrence.id}`, { body: { subject: 'Just this one' } });
    await call(sim, 'PATCH', `/users/${alex.id}/events/${sim.state.view(mbX, FROM, TO)[0].record.id}`, { body: { categories: ['Mine'], isReminderOn: false } });
    check();
    expect(sim.state.view(mbA, FROM, TO).map((i) => instanceJson(i, prefsList()[0])).join()).toContain('Just this one');
  });
});
