/**
 * A limit on how deeply a JSON body may nest. No request of the contract nests beyond a handful
 * of levels, while a body of thousands of levels exhausts the stack of whatever walks it
 * (validation, transformation). The raw bytes are scanned before they are parsed, in one pass
 * without recursion.
 */
export const MAX_JSON_DEPTH = 64;
/** The `type` of the error the body parser's `verify` hook throws for a body nested too deeply. */
export const JSON_TOO_DEEP = 'entity.too.deep';
/** ... and for a body that is a bare JSON string, number, boolean or null (every contract body is an object or array). */
export const JSON_NOT_OBJECT = 'entity.not.object';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Whether a JSON text nests objects and arrays deeper than `max` (strings are skipped). */
export function jsonNestsDeeperThan(raw: Uint8Array, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return false;
}

/** The first byte that is not JSON whitespace, or -1. */
function firstSignificant(raw: Uint8Array): number {
  for (const c of raw) if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
  return -1;
}

/**
 * body-parser's `verify` hook, before the body is parsed: refuses a body nested deeper than
 * MAX_JSON_DEPTH, and names a bare scalar (`"x"`, `42`, `null`) as not an object rather than
 * letting the strict parser call it malformed.
 */
export function verifyJsonBody(_req: unknown, _res: unknown, raw: Buffer): void {
  const first = firstSignificant(raw);
  if (first !== -1 && first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let scalar = true;
    try {
      JSON.parse(raw.toString('utf8'));
    } catch {
      scalar = false; // malformed: the parser says so
    }
    if (scalar) throw Object.assign(new Error('body: must be a JSON object'), { type: JSON_NOT_OBJECT });
  }
  if (jsonNestsDeeperThan(raw)) throw Object.assign(new Error(`body: nested deeper than ${MAX_JSON_DEPTH} levels`), { type: JSON_TOO_DEEP });
}
