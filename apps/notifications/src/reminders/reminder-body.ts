import { createHash } from 'node:crypto';
import type { EventDetail, GraphDateTime } from '@ocb/service-clients';

/** The `event` part of a reminder body. */
export interface ReminderEvent {
  id: string;
  subject: string;
  start: GraphDateTime;
  end: GraphDateTime;
  startUtc: string;
  location: string | null;
  joinUrl: string | null;
  webLink: string | null;
}

/** What the webhook receives (contract.md, notifications). */
export interface ReminderBody {
  id: string;
  type: 'event.reminder';
  dueAt: string;
  message: string;
  user: { id: string; email: string };
  event: ReminderEvent;
}

/** "in 1 hour", "in 30 minutes", "in 2 hours", "in 1 hour 30 minutes"; "now" for a zero lead. */
export function leadPhrase(leadMinutes: number): string {
  if (leadMinutes <= 0) return 'now';
  const hours = Math.floor(leadMinutes / 60);
  const minutes = leadMinutes % 60;
  const parts: string[] = [];
  if (hours) parts.push(`${hours} hour${hours === 1 ? '' : 's'}`);
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? '' : 's'}`);
  return `in ${parts.join(' ')}`;
}

/** `Your meeting "Design review" will start in 1 hour.` */
export function reminderMessage(subject: string, leadMinutes: number): string {
  const name = subject.trim() || '(no subject)';
  const phrase = leadPhrase(leadMinutes);
  return phrase === 'now' ? `Your meeting "${name}" is starting now.` : `Your meeting "${name}" will start ${phrase}.`;
}

/** Stable notification id for one occurrence at one start instant (the receiver dedupes on it). */
export function reminderId(eventId: string, startUtc: string): string {
  return `rem_${createHash('sha256').update(`${eventId}\n${startUtc}`).digest('hex').slice(0, 40)}`;
}

export function eventSnapshot(detail: EventDetail, startUtc: string): ReminderEvent {
  return {
    id: detail.id,
    subject: detail.subject ?? '',
    start: detail.start,
    end: detail.end,
    startUtc,
    location: detail.location ?? null,
    joinUrl: detail.joinUrl ?? null,
    webLink: detail.webLink ?? null,
  };
}

export function reminderBody(input: {
  id: string;
  dueAt: string;
  leadMinutes: number;
  user: { id: string; email: string };
  event: ReminderEvent;
}): ReminderBody {
  return {
    id: input.id,
    type: 'event.reminder',
    dueAt: input.dueAt,
    message: reminderMessage(input.event.subject, input.leadMinutes),
    user: input.user,
    event: input.event,
  };
}
