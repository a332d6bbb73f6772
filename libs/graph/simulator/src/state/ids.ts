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

export function itemId(mailbox: number, salt: number, seq: number): string {
  const b = Buffer.allocUnsafe(13);
  b[0] = ITEM;
  b.writeUInt32BE(mailbox >>> 0, 1);
  b.writeUInt32BE(salt >>> 0, 5);
  b.writeUInt32BE(seq >>> 0, 9);
  return encode(b);
}

export function occurrenceId(mailbox: number, salt: number, seq: number, originalStartMs: number): string {
  const b = Buffer.allocUnsafe(21);
  b[0] = OCCURRENCE;
  b.writeUInt32BE(mailbox >>> 0, 1);
  b.writeUInt32BE(salt >>> 0, 5);
  b.writeUInt32BE(seq >>> 0, 9);
  b.writeDoubleBE(originalStartMs, 13);
  return encode(b);
}

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
  const b = Buffer.allocUnsafe(16);
  b.writeUInt32BE(salt >>> 0, 0);
  b.writeUInt32BE(seq >>> 0, 4);
  b.writeUInt32BE(changeCount >>> 0, 8);
  b.writeUInt32BE(extra >>> 0, 12);
  return b.toString('base64');
}

const ICAL_PREFIX = '040000008200E00074C5B7101A82E008';

/** iCalUId in Outlook's global object id layout. */
let lastStamp: { ms: number; text: string } = { ms: NaN, text: '' };

export function iCalUIdOf(createdMs: number, uniqueHex32: string): string {
  // Seeding creates a million events at one instant: the stamp part is built once.
  if (lastStamp.ms !== createdMs) lastStamp = { ms: createdMs, text: `${ICAL_PREFIX}00000000${Math.floor(createdMs).toString(16).toUpperCase().padStart(16, '0')}000000000000000010000000` };
  return lastStamp.text + uniqueHex32.toUpperCase();
}
