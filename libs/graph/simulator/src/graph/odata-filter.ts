/**
 * The OData `$filter` subset the simulator understands, for any collection: comparisons of a
 * property with a literal and `startswith(prop,'text')`, joined by `and` (binding tighter) and
 * `or`, each optionally in parentheses. What a collection allows is its schema: which properties
 * are strings (compared case-insensitively, as Exchange and the directory do), booleans or
 * date-times, and which operators strings take. Anything else is refused with the collection's
 * own error (`invalid`).
 */
import type { GraphError } from './http';

type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export interface FilterSchema<T> {
  /** Lower-case property name → value. */
  strings?: Record<string, (item: T) => string>;
  /** Operators string properties take (default eq and ne); `startswith` always. */
  stringOps?: ReadonlyArray<'eq' | 'ne'>;
  booleans?: Record<string, (item: T) => boolean>;
  /** Date-times as epoch ms; literals without an offset are UTC (as Graph reads them). */
  times?: Record<string, (item: T) => number>;
}

export type Predicate<T> = (item: T) => boolean;

/** Compiles `filter` against `schema`; `invalid()` is thrown for anything outside it. */
export function compileFilter<T>(filter: string, schema: FilterSchema<T>, invalid: () => GraphError): Predicate<T> {
  const text = filter.trim();
  if (!text) throw invalid();
  return parse(text, schema, invalid);
}

function parse<T>(text: string, schema: FilterSchema<T>, invalid: () => GraphError): Predicate<T> {
  const ors = splitOn(text, 'or').map((part) => splitOn(part, 'and').map((c) => clause(c, schema, invalid)));
  if (ors.length === 1 && ors[0].length === 1) return ors[0][0];
  return (item) => ors.some((ands) => ands.every((p) => p(item)));
}

function clause<T>(text: string, schema: FilterSchema<T>, invalid: () => GraphError): Predicate<T> {
  const c = unwrap(text);
  if (!c) throw invalid();
  if (c !== text.trim()) return parse(c, schema, invalid);
  let m = /^startswith\(\s*([\w/]+)\s*,\s*('(?:[^']|'')*')\s*\)$/i.exec(c);
  if (m) {
    const get = schema.strings?.[m[1].toLowerCase()];
    if (!get) throw invalid();
    const v = literal(m[2]).toLowerCase();
    return (item) => get(item).toLowerCase().startsWith(v);
  }
  m = /^([\w/]+)\s+(eq|ne|gt|ge|lt|le)\s+('(?:[^']|'')*'|true|false)$/i.exec(c);
  if (!m) throw invalid();
  const prop = m[1].toLowerCase();
  const op = m[2].toLowerCase() as Op;
  const value = m[3];
  const str = schema.strings?.[prop];
  if (str) {
    const ops: ReadonlyArray<string> = schema.stringOps ?? ['eq', 'ne'];
    if (!value.startsWith("'") || !ops.includes(op)) throw invalid();
    const v = literal(value).toLowerCase();
    return op === 'eq' ? (item) => str(item).toLowerCase() === v : (item) => str(item).toLowerCase() !== v;
  }
  const bool = schema.booleans?.[prop];
  if (bool) {
    const v = value.toLowerCase();
    if ((v !== 'true' && v !== 'false') || (op !== 'eq' && op !== 'ne')) throw invalid();
    const want = v === 'true';
    return op === 'eq' ? (item) => bool(item) === want : (item) => bool(item) !== want;
  }
  const time = schema.times?.[prop];
  if (time) {
    if (!value.startsWith("'")) throw invalid();
    const raw = literal(value);
    const ms = Date.parse(/(Z|[+-]\d\d:\d\d)$/i.test(raw) ? raw : `${raw}Z`);
    if (Number.isNaN(ms)) throw invalid();
    return (item) => compare(op, time(item), ms);
  }
  throw invalid();
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
