import { changedForm, type Fields } from './event-edit.mapping';
import { toEventForm } from './event-form.routes';

const OFFICE_HOURS_KEYS = ['title', 'start', 'end', 'timeZone', 'recurrence', 'description'];
const RECURRING = ['daily', 'weekly', 'monthly'];

const pick = (form: Record<string, unknown>) => Object.fromEntries(Object.entries(form).filter(([k, v]) => OFFICE_HOURS_KEYS.includes(k) && v !== undefined));

/** The office hours form as actions takes it (an empty title: actions' default). */
export function toOfficeHoursForm(f: Fields): Record<string, unknown> {
  const form = pick(toEventForm(f));
  if (!form['title']) delete form['title'];
  return form;
}

/** The PATCH body of an office hours edit: what changed, office hours fields only. */
export function changedOfficeHours(original: Fields, submitted: Fields): Record<string, unknown> {
  return pick(changedForm(original, submitted));
}

/** Office hours repeat: the chosen recurrence type must be daily, weekly or monthly. */
export function recurs(f: Fields): boolean {
  return typeof f['recurrenceType'] === 'string' && RECURRING.includes(f['recurrenceType']);
}
