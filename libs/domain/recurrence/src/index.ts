export type {
  DayOfWeek,
  PatternedRecurrence,
  RecurrenceForm,
  RecurrencePattern,
  RecurrencePatternType,
  RecurrenceRange,
  RecurrenceRangeType,
  RecurrenceType,
  WeekIndex,
} from './lib/types';
export { DAYS_OF_WEEK, RECURRENCE_TYPES, WEEK_INDEXES } from './lib/types';
export {
  fromGraphRecurrence,
  NO_END_DATE,
  normalizeGraphRecurrence,
  toGraphRecurrence,
  weekdayOf,
} from './lib/graph-mapping';
export { validateRecurrence } from './lib/validate';
export type { FieldError } from './lib/validate';
export { expandRecurrence, nextOccurrences } from './lib/expand';
export type { ExpandOptions, Occurrence, RecurringSeries } from './lib/expand';
