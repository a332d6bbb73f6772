/**
 * The simulator's tenant: users, app registrations, mailboxes and their events. Pure state and
 * calendar semantics (attendee copies, series and exceptions, change log); no HTTP here.
 */
import { Rng } from './prng';
import { Mailbox, snapshot } from './mailbox';
import type { EventContent, EventRecord, GraphAttendee, Instance, InstanceFields, OccurrenceOverride } from './records';
import { occurrenceAt } from './series';
import { decodeId, iCalUIdOf } from './ids';
import { forgetDerived } from './derived';
import type { SimAppRegistration, SimUser } from './types';
import { DEFAULT_TENANT_ID } from './types';
import { instancesOf, seriesInstances, seriesShape } from './instances';
import { NO_CATEGORIES, StoredRecord } from './stored-record';
import { DEFAULT_APP, type ContentPatch, type NewEvent, type PersonalPatch, type Resolved } from './store-types';

export { DEFAULT_APP, type ContentPatch, type NewEvent, type PersonalPatch, type Resolved } from './store-types';

const VIEW_CACHE_SIZE = 128;
const ZERO_TIME = '0001-01-01T00:00:00Z';

export class SimState {
  tenantId = DEFAULT_TENANT_ID;
  domain = 'contoso.com';
  apps: SimAppRegistration[] = [{ ...DEFAULT_APP }];
  users: SimUser[] = [];
  readonly mailboxes: Mailbox[] = [];
  private readonly usersById = new Map<string, SimUser>();
  private readonly usersByName = new Map<string, SimUser>();
  private readonly mailboxByUser = new Map<string, Mailbox>();
  private epoch: number;
  private rng: Rng;
  private readonly viewCache = new Map<string, Instance[]>();
  private bulk = false;
  /** Called after every change of an item outside bulk seeding (change notifications listen here). */
  onChange: ((rec: EventRecord, created: boolean) => void) | undefined;

  constructor(
    seed: number,
    private readonly now: () => number,
  ) {
    this.rng = new Rng(seed ^ 0x51a7e);
    this.epoch = this.rng.u32();
  }

  /** Empties the tenant (users, mailboxes, events); ids minted before stop resolving. */
  clear(seed?: number): void {
    this.users = [];
    this.mailboxes.length = 0;
    this.usersById.clear();
    this.usersByName.clear();
    this.mailboxByUser.clear();
    this.viewCache.clear();
    if (seed !== undefined) this.rng = new Rng(seed ^ 0x51a7e);
    this.epoch = (this.rng.u32() ^ (this.epoch + 1)) >>> 0;
  }

  // ---- users ----

  addUser(user: SimUser): SimUser {
    if (this.usersById.has(user.id)) throw new Error(`duplicate user id ${user.id}`);
    this.users.push(user);
    this.usersById.set(user.id, user);
    this.usersByName.set(user.userPrincipalName.toLowerCase(), user);
    if (user.mail) this.usersByName.set(user.mail.toLowerCase(), user);
    if (user.hasMailbox) {
      const mb = new Mailbox(this.mailboxes.length, user, (this.epoch + Math.imul(this.mailboxes.length, 0x9e3779b1)) >>> 0);
      this.mailboxes.push(mb);
      this.mailboxByUser.set(user.id, mb);
    }
    return user;
  }

  findUser(idOrUpn: string): SimUser | undefined {
    return this.usersById.get(idOrUpn) ?? this.usersById.get(idOrUpn.toLowerCase()) ?? this.usersByName.get(idOrUpn.toLowerCase());
  }

  mailboxOf(user: SimUser | string): Mailbox | undefined {
    return this.mailboxByUser.get(typeof user === 'string' ? user : user.id);
  }

  newGuid(): string {
    return this.rng.guid();
  }

  // ---- events ----

  /**
   * Creates an organizer's event (and attendee copies). Takes ownership of `input.fields`.
   * `bulk` (seeding right after a reset): no change-log entries, as no delta token can predate them.
   */
  createEvent(mb: Mailbox, input: NewEvent, bulk = false): EventRecord {
    const nowMs = this.now();
    const organizer = input.organizer ?? mb.owner();
    const content = input.fields as EventContent;
    content.iCalUId = iCalUIdOf(nowMs, this.rng.hex(32));
    content.organizer = organizer;
    content.organizerUserId = mb.user.id;
    content.recurrence = input.recurrence;
    content.exceptions = null;
    content.copies = [];
    this.bulk = bulk;
    let own: EventRecord | undefined;
    if (!input.cancelled) {
      own = this.addRecord(mb, content, true, nowMs, input);
      if (input.transactionId) mb.transactions.set(input.transactionId, own);
    }
    this.syncAttendeeCopies(content, nowMs, input.cancelled === true);
    this.bulk = false;
    return own ?? content.copies[0];
  }

  private addRecord(mb: Mailbox, content: EventContent, isOrganizer: boolean, nowMs: number, input?: NewEvent): EventRecord {
    const seq = mb.items.length;
    const categories = input?.categories;
    const rec = new StoredRecord(
      seq,
      mb,
      content,
      isOrganizer,
      nowMs,
      isOrganizer ? 'organizer' : 'notResponded',
      categories && categories.length > 0 ? categories : NO_CATEGORIES,
      input?.isReminderOn ?? true,
      input?.reminderMinutesBeforeStart ?? 15,
      isOrganizer ? (input?.extendedProperties ?? null) : null,
      isOrganizer ? (input?.transactionId ?? null) : null,
    );
    mb.items.push(rec);
    mb.version++;
    rec.version = mb.version;
    if (this.bulk) mb.baseline = mb.version;
    else {
      mb.log.push({ version: mb.version, seq, before: null });
      this.onChange?.(rec, true);
    }
    // Exact-size arrays: most contents have one copy (an empty array grown by push reserves 17).
    if (content.copies.length === 0) content.copies = [rec];
    else if (isOrganizer) content.copies.unshift(rec);
    else content.copies.push(rec);
    return rec;
  }

  /** Gives every tenant attendee with a mailbox a copy; cancels copies of removed attendees. */
  private syncAttendeeCopies(content: EventContent, nowMs: number, cancelled: boolean): void {
    // Fast path (most events): no attendees now and no attendee copies to cancel.
    if (content.attendees.length === 0 && content.copies.every((c) => c.isOrganizer)) return;
    const wanted = new Set<string>();
    const organizerAddress = content.organizer.address.toLowerCase();
    for (const a of content.attendees) {
      const user = this.usersByName.get(a.emailAddress.address.toLowerCase());
      if (!user || !user.hasMailbox || user.id === content.organizerUserId || a.emailAddress.address.toLowerCase() === organizerAddress) continue;
      wanted.add(user.id);
    }
    const have = new Set<string>();
    for (const c of content.copies) {
      if (c.isOrganizer || c.deleted) continue;
      have.add(c.mailbox.userId);
      if (!wanted.has(c.mailbox.userId) && !c.isCancelled) {
        this.touch(c);
        c.isCancelled = true;
        c.changeCount++;
        c.modifiedMs = nowMs;
      }
    }
    for (const userId of wanted) {
      const mb = this.mailboxByUser.get(userId);
      if (have.has(userId) || !mb) continue;
      const rec = this.addRecord(mb, content, false, nowMs);
      if (cancelled) rec.isCancelled = true;
    }
  }

  /** Finds the item an id names in `mb` (a record, or one occurrence of a series). */
  resolve(mb: Mailbox, id: string): Resolved | undefined {
    const d = decodeId(id);
    if (!d || d.mailbox !== mb.index || d.salt !== mb.salt) return undefined;
    const rec = mb.items[d.seq];
    if (!rec || rec.deleted) return undefined;
    if (d.originalStartMs === null) return { record: rec, originalStartMs: null };
    if (!rec.content.recurrence) return undefined;
    const exc = rec.content.exceptions?.get(d.originalStartMs);
    if (exc?.deleted) return undefined;
    if (!exc && !this.isOccurrenceStart(rec.content, d.originalStartMs)) return undefined;
    return { record: rec, originalStartMs: d.originalStartMs };
  }

  private isOccurrenceStart(c: EventContent, startMs: number): boolean {
    const shape = seriesShape(c);
    return shape !== null && occurrenceAt(shape, startMs) !== undefined;
  }

  /** The instance an occurrence id names (for GET of an occurrence). */
  occurrence(rec: EventRecord, originalStartMs: number): Instance | undefined {
    return seriesInstances(rec, originalStartMs, originalStartMs + 1, true).find((i) => i.originalStartMs === originalStartMs);
  }

  /** Records the state before a change in the mailbox's log and bumps its version. */
  private touch(rec: EventRecord): void {
    const mb = rec.mailbox as Mailbox;
    const before = snapshot(rec);
    mb.version++;
    rec.version = mb.version;
    mb.log.push({ version: mb.version, seq: rec.seq, before });
    this.onChange?.(rec, false);
  }

  private touchAll(content: EventContent): void {
    for (const c of content.copies) if (!c.deleted) this.touch(c);
  }

  /** Changes to a record's personal fields (its mailbox only). */
  patchPersonal(rec: EventRecord, patch: PersonalPatch): void {
    if (Object.keys(patch).length === 0) return;
    this.touch(rec);
    if (patch.categories) rec.categories = patch.categories;
    if (patch.isReminderOn !== undefined) rec.isReminderOn = patch.isReminderOn;
    if (patch.reminderMinutesBeforeStart !== undefined) rec.reminderMinutesBeforeStart = patch.reminderMinutesBeforeStart;
    if (patch.extendedProperties) {
      const merged = new Map((rec.extendedProperties ?? []).map((p) => [p.id.toLowerCase(), p]));
      for (const p of patch.extendedProperties) merged.set(p.id.toLowerCase(), p);
      rec.extendedProperties = [...merged.values()];
    }
    rec.changeCount++;
    rec.modifiedMs = this.now();
  }

  /**
   * Changes to shared fields of a single event or a whole series. An organizer's change reaches
   * every attendee copy; an attendee's change stays in that attendee's mailbox.
   */
  patchContent(rec: EventRecord, patch: ContentPatch): void {
    const nowMs = this.now();
    if (!rec.isOrganizer && rec.content.copies.length > 1) this.fork(rec);
    const c = rec.content;
    this.touchAll(c);
    const f = patch.fields ?? {};
    const timeChanged = f.startMs !== undefined && (f.startMs !== c.startMs || f.endMs !== c.endMs);
    Object.assign(c, f);
    forgetDerived(c);
    if (patch.recurrence !== undefined) {
      c.recurrence = patch.recurrence;
      c.exceptions = null;
    } else if (timeChanged && c.recurrence) {
      c.exceptions = null;
      c.recurrence = { ...c.recurrence, range: { ...c.recurrence.range, startDate: c.startWall.slice(0, 10) } };
    }
    for (const copy of c.copies) {
      if (copy.deleted) continue;
      copy.changeCount++;
      copy.modifiedMs = nowMs;
    }
    if (f.attendees && rec.isOrganizer) this.syncAttendeeCopies(c, nowMs, false);
  }

  /** Turns one occurrence into an exception (or changes an exception). */
  patchOccurrence(rec: EventRecord, originalStartMs: number, fields: Partial<InstanceFields>): void {
    const nowMs = this.now();
    if (!rec.isOrganizer && rec.content.copies.length > 1) this.fork(rec);
    const c = rec.content;
    const current = this.occurrence(rec, originalStartMs);
    if (!current) return;
    this.touchAll(c);
    const prev = c.exceptions?.get(originalStartMs);
    const exc: OccurrenceOverride = {
      deleted: false,
      fields: { ...current.fields, ...fields },
      changeCount: (prev?.changeCount ?? rec.changeCount) + 1,
      modifiedMs: nowMs,
    };
    c.exceptions = new Map(c.exceptions ?? []);
    c.exceptions.set(originalStartMs, exc);
  }

  /** Deletes a record; an organizer's delete cancels the attendees' copies. */
  deleteEvent(rec: EventRecord): void {
    const nowMs = this.now();
    this.touch(rec);
    rec.deleted = true;
    const c = rec.content;
    if (rec.transactionId) (rec.mailbox as Mailbox).transactions.delete(rec.transactionId);
    if (rec.isOrganizer) {
      for (const copy of c.copies) {
        if (copy === rec || copy.deleted || copy.isCancelled) continue;
        this.touch(copy);
        copy.isCancelled = true;
        copy.changeCount++;
        copy.modifiedMs = nowMs;
      }
    } else {
      c.copies = c.copies.filter((x) => x !== rec);
    }
  }

  /** Deletes one occurrence of a series (for everyone when the organizer deletes it). */
  deleteOccurrence(rec: EventRecord, originalStartMs: number): void {
    if (!rec.isOrganizer && rec.content.copies.length > 1) this.fork(rec);
    const c = rec.content;
    const current = this.occurrence(rec, originalStartMs);
    if (!current) return;
    this.touchAll(c);
    c.exceptions = new Map(c.exceptions ?? []);
    c.exceptions.set(originalStartMs, { deleted: true, fields: current.fields, changeCount: current.changeCount + 1, modifiedMs: this.now() });
  }

  /** Gives an attendee's record its own content, detached from the organizer's. */
  private fork(rec: EventRecord): void {
    const old = rec.content;
    old.copies = old.copies.filter((x) => x !== rec);
    rec.content = { ...old, exceptions: old.exceptions ? new Map(old.exceptions) : null, copies: [rec] };
  }

  // ---- instances ----

  /** What calendarView shows of one record in [fromMs, toMs). */
  instancesOf(rec: EventRecord, fromMs: number, toMs: number): Instance[] {
    return instancesOf(rec, fromMs, toMs);
  }

  /** Every instance of a mailbox in [fromMs, toMs), sorted by start; cached per mailbox version. */
  view(mb: Mailbox, fromMs: number, toMs: number): Instance[] {
    const key = `${mb.index}:${mb.salt}:${mb.version}:${fromMs}:${toMs}`;
    const hit = this.viewCache.get(key);
    if (hit) return hit;
    const out: Instance[] = [];
    for (const rec of mb.items) {
      if (!rec || rec.deleted) continue;
      const c = rec.content;
      if (!c.recurrence) {
        if (c.startMs < toMs && (c.endMs > fromMs || (c.endMs === c.startMs && c.startMs >= fromMs))) out.push(...instancesOf(rec, fromMs, toMs));
        continue;
      }
      if (c.startMs >= toMs) continue;
      out.push(...seriesInstances(rec, fromMs, toMs, false));
    }
    out.sort((a, b) => a.startMs - b.startMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (this.viewCache.size >= VIEW_CACHE_SIZE) {
      const oldest = this.viewCache.keys().next();
      if (!oldest.done) this.viewCache.delete(oldest.value);
    }
    this.viewCache.set(key, out);
    return out;
  }

  /** Records (singles and series masters) of a mailbox, for /events and the admin API. */
  records(mb: Mailbox): EventRecord[] {
    const out: EventRecord[] = [];
    for (const r of mb.items) if (r && !r.deleted) out.push(r);
    return out;
  }
}

export const ZERO_GRAPH_TIME = ZERO_TIME;
export type { GraphAttendee };
