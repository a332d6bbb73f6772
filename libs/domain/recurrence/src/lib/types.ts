export const DAYS_OF_WEEK = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

export const WEEK_INDEXES = ['first', 'second', 'third', 'fourth', 'last'] as const;
export type WeekIndex = (typeof WEEK_INDEXES)[number];

export const RECURRENCE_TYPES = ['once', 'daily', 'weekly', 'monthly'] as const;
export type RecurrenceType = (typeof RECURRENCE_TYPES)[number];

/** The platform's event-form recurrence (see the contract's event form). */
export interface RecurrenceForm {
  type: RecurrenceType;
  interval?: number;
  /** weekly; monthly with weekOfMonth ("second Tuesday"). */
  daysOfWeek?: DayOfWeek[];
  /** Last date (inclusive, local), YYYY-MM-DD. */
  until?: string;
  count?: number;
  /** monthly only: makes it relative ("second Tuesday"). */
  weekOfMonth?: WeekIndex;
}

export type RecurrencePatternType =
  | 'daily'
  | 'weekly'
  | 'absoluteMonthly'
  | 'relativeMonthly'
  | 'absoluteYearly'
  | 'relativeYearly';

/** Graph's recurrencePattern. Optional fields are filled by `normalizeGraphRecurrence`. */
export interface RecurrencePattern {
  type: RecurrencePatternType;
  interval: number;
  /** 1-12 for yearly patterns; 0 otherwise. */
  month?: number;
  /** 1-31 for absolute monthly/yearly; 0 otherwise. */
  dayOfMonth?: number;
  daysOfWeek?: DayOfWeek[];
  firstDayOfWeek?: DayOfWeek;
  index?: WeekIndex;
}

export type RecurrenceRangeType = 'endDate' | 'noEnd' | 'numbered';

/** Graph's recurrenceRange. */
export interface RecurrenceRange {
  type: RecurrenceRangeType;
  /** YYYY-MM-DD, local date of the first occurrence. */
  startDate: string;
  /** YYYY-MM-DD inclusive; "0001-01-01" when not an endDate range (as Graph returns it). */
  endDate?: string;
  /** Windows time zone name. */
  recurrenceTimeZone?: string;
  numberOfOccurrences?: number;
}

export interface PatternedRecurrence {
  pattern: RecurrencePattern;
  range: RecurrenceRange;
}
