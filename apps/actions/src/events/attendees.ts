import type { FieldError } from '@ocb/recurrence';

export const ATTENDEE_TYPES = ['required', 'optional', 'resource'] as const;
export type AttendeeType = (typeof ATTENDEE_TYPES)[number];

/** An attendee as the form gives it: an address, or `{ email, name?, type? }`. */
export type AttendeeInput = string | { email: string; name?: string; type?: AttendeeType };

/** An attendee after validation. */
export interface Attendee {
  email: string;
  name: string | null;
  type: AttendeeType;
}

const ATTENDEE_KEYS = new Set(['email', 'name', 'type']);

// local@domain.tld: no spaces, quotes, angle brackets or commas; domain labels of letters, digits
// and inner hyphens, at least one dot.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** A plain SMTP address as Outlook accepts it for an attendee. */
export function isEmailAddress(value: string): boolean {
  if (value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  return DOMAIN.test(domain);
}

/**
 * Checks and normalises the attendee list. Problems name `attendees[i]` (or `attendees[i].field`);
 * a repeated address (case-insensitive) names the later entry.
 */
export function parseAttendees(value: unknown): { attendees: Attendee[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const attendees: Attendee[] = [];
  if (!Array.isArray(value)) {
    return { attendees, errors: [{ field: 'attendees', message: 'attendees must be a list of addresses or { email, name, type } objects' }] };
  }
  const seen = new Map<string, number>();
  value.forEach((item: unknown, i) => {
    const field = `attendees[${i}]`;
    let email: unknown;
    let name: string | null = null;
    let type: AttendeeType = 'required';
    if (typeof item === 'string') email = item;
    else if (item && typeof item === 'object' && !Array.isArray(item)) {
      const o = item as Record<string, unknown>;
      const unknown = Object.keys(o).filter((k) => !ATTENDEE_KEYS.has(k));
      for (const k of unknown) errors.push({ field: `${field}.${k}`, message: 'unknown field' });
      if (unknown.length) return;
      email = o['email'];
      if (o['name'] !== undefined && o['name'] !== null) {
        if (typeof o['name'] !== 'string' || o['name'].length > 255) {
          errors.push({ field: `${field}.name`, message: 'name must be a string of at most 255 characters' });
          return;
        }
        name = o['name'].trim() || null;
      }
      if (o['type'] !== undefined) {
        if (!ATTENDEE_TYPES.includes(o['type'] as AttendeeType)) {
          errors.push({ field: `${field}.type`, message: `type must be one of ${ATTENDEE_TYPES.join(', ')}` });
          return;
        }
        type = o['type'] as AttendeeType;
      }
    } else {
      errors.push({ field, message: 'an attendee is an email address or { email, name, type }' });
      return;
    }
    if (typeof email !== 'string' || !isEmailAddress(email.trim())) {
      errors.push({ field, message: `"${typeof email === 'string' ? email : String(email)}" is not a valid email address` });
      return;
    }
    const address = email.trim();
    const key = address.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push({ field, message: `${address} is already attendees[${first}]` });
      return;
    }
    seen.set(key, i);
    attendees.push({ email: address, name, type });
  });
  return { attendees, errors };
}
