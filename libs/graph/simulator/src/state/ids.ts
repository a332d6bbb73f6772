/**
 * Graph-like opaque ids that the simulator can decode without an index: an item id carries its
 * mailbox, a salt (changes with every reset, so stale ids stop resolving) and its sequence number;
 * an occurrence id adds the original start, so occurrence ids are distinct and stable.
 */
const ITEM = 0x46;
const OCCURRENCE = 0x07;
const PREFIX = 'AAMkA';

function encode(buf: Buffer): string {
  return PREFIX + buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

// Hot paths (every calendarView item has an id and a change key) encode without Buffers or
// regex replaces: bytes into a reused array, base64 by table, one string per id.
const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const STD_CODES = Array.from(STD, (c) => c.charCodeAt(0));
const URL_CODES = Array.from(STD.replace('+', '-').replace('/', '_'), (c) => c.charCodeAt(0));
const PAD = '='.charCodeAt(0);
const bytes = new Uint8Array(24);
const view = new DataView(bytes.buffer);
const codeArrays = new Map<number, number[]>();

/** base64 of bytes[0..len) (padded), with the url alphabet ('-', '_') when `url`. */
function base64(len: number, url: boolean): string {
  const table = url ? URL_CODES : STD_CODES;
  const outLen = Math.ceil(len / 3) * 4;
  let codes = codeArrays.get(outLen);
  if (!codes) codeArrays.set(outLen, (codes = new Array<number>(outLen).fill(0)));
  let o = 0;
  let i = 0;
  for (; i + 3 <= len; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    codes[o++] = table[n >>> 18];
    codes[o++] = table[(n >>> 12) & 63];
    codes[o++] = table[(n >>> 6) & 63];
    codes[o++] = table[n & 63];
  }
  if (i < len) {
    const n = (bytes[i] << 16) | (i + 1 < len ? bytes[i + 1] << 8 : 0);
    codes[o++] = table[n >>> 18];
    codes[o++] = table[(n >>> 12) & 63];
    codes[o++] = i + 1 < len ? table[(n >>> 6) & 63] : PAD;
    codes[o++] = PAD;
  }
  return String.fromCharCode.apply(null, codes);
}

export function itemId(mailbox: number, salt: number, seq: number): string {
  bytes[0] = ITEM;
  view.setUint32(1, mailbox >>> 0);
  view.setUint32(5, salt >>> 0);
  view.setUint32(9, seq >>> 0);
  return PREFIX + base64(13, true);
}

export function occurrenceId(mailbox: number, salt: number, seq: number, originalStartMs: number): string {
  bytes[0] = OCCURRENCE;
  view.setUint32(1, mailbox >>> 0);
  view.setUint32(5, salt >>> 0);
  view.setUint32(9, seq >>> 0);
  view.setFloat64(13, originalStartMs);
  return PREFIX + base64(21, true);
}

/** The Buffer-based encodings the fast ones must equal (ids.spec.ts). */
export const reference = {
  itemId(mailbox: number, salt: number, seq: number): string {
    const b = Buffer.allocUnsafe(13);
    b[0] = ITEM;
    b.writeUInt32BE(mailbox >>> 0, 1);
    b.writeUInt32BE(salt >>> 0, 5);
    b.writeUInt32BE(seq >>> 0, 9);
    return encode(b);
  },
  occurrenceId(mailbox: number, salt: number, seq: number, originalStartMs: number): string {
    const b = Buffer.allocUnsafe(21);
    b[0] = OCCURRENCE;
    b.writeUInt32BE(mailbox >>> 0, 1);
    b.writeUInt32BE(salt >>> 0, 5);
    b.writeUInt32BE(seq >>> 0, 9);
    b.writeDoubleBE(originalStartMs, 13);
    return encode(b);
  },
  changeKeyOf(salt: number, seq: number, changeCount: number, extra = 0): string {
    const b = Buffer.allocUnsafe(16);
    b.writeUInt32BE(salt >>> 0, 0);
    b.writeUInt32BE(seq >>> 0, 4);
    b.writeUInt32BE(changeCount >>> 0, 8);
    b.writeUInt32BE(extra >>> 0, 12);
    return b.toString('base64');
  },
};

export interface DecodedId {
  mailbox: number;
  salt: number;
  seq: number;
  originalStartMs: number | null;
}

export function decodeId(id: string): DecodedId | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  const body = id.slice(PREFIX.length).replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]+=*$/.test(body)) return undefined;
  const b = Buffer.from(body, 'base64');
  if (b.length === 13 && b[0] === ITEM) {
    return { mailbox: b.readUInt32BE(1), salt: b.readUInt32BE(5), seq: b.readUInt32BE(9), originalStartMs: null };
  }
  if (b.length === 21 && b[0] === OCCURRENCE) {
    const start = b.readDoubleBE(13);
    if (!Number.isFinite(start)) return undefined;
    return { mailbox: b.readUInt32BE(1), salt: b.readUInt32BE(5), seq: b.readUInt32BE(9), originalStartMs: start };
  }
  return undefined;
}

/** changeKey: base64 of (salt, seq, change count), like Graph's 20-byte keys. */
export function changeKeyOf(salt: number, seq: number, changeCount: number, extra = 0): string {
  view.setUint32(0, salt >>> 0);
  view.setUint32(4, seq >>> 0);
  view.setUint32(8, changeCount >>> 0);
  view.setUint32(12, extra >>> 0);
  return base64(16, false);
}

const ICAL_PREFIX = '040000008200E00074C5B7101A82E008';

/** iCalUId in Outlook's global object id layout. */
let lastStamp: { ms: number; text: string } = { ms: NaN, text: '' };

export function iCalUIdOf(createdMs: number, uniqueHex32: string): string {
  // Seeding creates a million events at one instant: the stamp part is built once.
  if (lastStamp.ms !== createdMs) lastStamp = { ms: createdMs, text: `${ICAL_PREFIX}00000000${Math.floor(createdMs).toString(16).toUpperCase().padStart(16, '0')}000000000000000010000000` };
  return lastStamp.text + uniqueHex32.toUpperCase();
}
