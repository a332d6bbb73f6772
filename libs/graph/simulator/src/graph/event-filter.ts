/**
 * `$filter` on `/events`: the OData subset clients use to list a mailbox's events by kind or time.
 *
 *   type eq 'seriesMaster'            type ne 'singleInstance'
 *   isOrganizer eq true               isCancelled eq false      isAllDay eq true
 *   subject eq 'Standup'              startswith(subject,'Office hours')
 *   start/dateTime ge '2026-03-01T00:00:00'   end/dateTime lt '2026-04-01T00:00:00Z'
 *
 * clauses joined by `and` (binding tighter) and `or`, each optionally in parentheses. String
 * comparisons of `type`/`subject` are case-insensitive, as Exchange compares them; date-times
 * without an offset are UTC (as Graph reads them). Anything else is refused the way Outlook
 * refuses it: 400 `ErrorInvalidUrlQueryFilter`.
 */
import type { EventRecord } from '../state/records';
import { badRequest, GraphError } from './http';

export type EventPredicate = (r: EventRecord) => boolean;

type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

const STRING_PROPS: Record<string, (r: EventRecord) => string> = {
  type: (r) => (r.content.recurrence ? 'seriesMaster' : 'singleInstance'),
  subject: (r) => r.content.subject,
  showas: (r) => r.content.showAs,
  importance: (r) => r.content.importance,
  sensitivity: (r) => r.content.sensitivity,
};

const BOOLEAN_PROPS: Record<string, (r: EventRecord) => boolean> = {
  isorganizer: (r) => r.isOrganizer,
  iscancelled: (r) => r.isCancelled,
  isallday: (r) => r.content.isAllDay,
  isonlinemeeting: (r) => r.content.isOnlineMeeting,
};

const TIME_PROPS: Record<string, (r: EventRecord) => number> = {
  'start/datetime': (r) => r.content.startMs,
  'end/datetime': (r) => r.content.endMs,
};

function invalid(filter: string): GraphError {
  return badRequest('ErrorInvalidUrlQueryFilter', `The query filter contains one or more invalid nodes: '${filter}'.`);
}

function compare(op: Op, a: number, b: number): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

/** `'...'` with OData's doubled quotes undone. */
function literal(text: string): string {
  return text.slice(1, -1).replace(/''/g, "'");
}

/** Splits on a keyword outside quotes and parentheses. */
function splitOn(text: string, word: 'and' | 'or'): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  const re = new RegExp(`^\\s+${word}\\s+`, 'i');
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === '(') depth++;
    else if (!quoted && ch === ')') depth--;
    else if (!quoted && depth === 0 && /\s/.test(ch)) {
      const m = re.exec(text.slice(i));
      if (m) {
        out.push(text.slice(start, i));
        i += m[0].length - 1;
        start = i + 1;
      }
    }
  }
  out.push(text.slice(start));
  return out;
}

/** Removes parentheses that enclose the whole text. */
function unwrap(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')')) {
    let depth = 0;
    let quoted = false;
    let enclosing = true;
    for (let i = 0; i < t.length - 1; i++) {
      const ch = t[i];
      if (ch === "'") quoted = !quoted;
      else if (!quoted && ch === '(') depth++;
      else if (!quoted && ch === ')') depth--;
      if (depth === 0) {
        enclosing = false;
        break;
      }
    }
    if (!enclosing) break;
    t = t.slice(1, -1).trim();
  }
  return t;
}

function clause(text: string, filter: string): EventPredicate {
  const c = unwrap(text);
  if (!c) throw invalid(filter);
  if (c !== text.trim()) return parse(c, filter);
  let m = /^startswith\(\s*([\w/]+)\s*,\s*('(?:[^']|'')*')\s*\)$/i.exec(c);
  if (m) {
    const get = STRING_PROPS[m[1].toLowerCase()];
    if (!get) throw invalid(filter);
    const v = literal(m[2]).toLowerCase();
    return (r) => get(r).toLowerCase().startsWith(v);
  }
  m = /^([\w/]+)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|true|false)$/i.exec(c);
  if (!m) throw invalid(filter);
  const prop = m[1].toLowerCase();
  const op = m[2].toLowerCase() as Op;
  const value = m[3];
  const str = STRING_PROPS[prop];
  if (str) {
    if (!value.startsWith("'") || (op !== 'eq' && op !== 'ne')) throw invalid(filter);
    const v = literal(value).toLowerCase();
    return op === 'eq' ? (r) => str(r).toLowerCase() === v : (r) => str(r).toLowerCase() !== v;
  }
  const bool = BOOLEAN_PROPS[prop];
  if (bool) {
    const v = value.toLowerCase();
    if ((v !== 'true' && v !== 'false') || (op !== 'eq' && op !== 'ne')) throw invalid(filter);
    const want = v === 'true';
    return op === 'eq' ? (r) => bool(r) === want : (r) => bool(r) !== want;
  }
  const time = TIME_PROPS[prop];
  if (time) {
    if (!value.startsWith("'")) throw invalid(filter);
    const raw = literal(value);
    const ms = Date.parse(/(Z|[+-]\d\d:\d\d)$/i.test(raw) ? raw : `${raw}Z`);
    if (Number.isNaN(ms)) throw invalid(filter);
    return (r) => compare(op, time(r), ms);
  }
  throw invalid(filter);
}

function parse(text: string, filter: string): EventPredicate {
  const ors = splitOn(text, 'or').map((part) => splitOn(part, 'and').map((c) => clause(c, filter)));
  if (ors.length === 1 && ors[0].length === 1) return ors[0][0];
  return (r) => ors.some((ands) => ands.every((p) => p(r)));
}

/** A predicate over a mailbox's events (singles and series masters) for a `$filter` value. */
export function parseEventFilter(filter: string): EventPredicate {
  if (!filter.trim()) throw invalid(filter);
  return parse(filter.trim(), filter);
}
