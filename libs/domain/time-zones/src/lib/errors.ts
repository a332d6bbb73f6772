/** Thrown for a time zone name that is neither a Windows id nor an IANA name we can map. */
export class InvalidTimeZoneError extends Error {
  constructor(readonly input: string) {
    super(
      `Unknown time zone "${input}": use a Windows name such as "Pacific Standard Time" ` +
        `or an IANA name such as "America/Los_Angeles"`,
    );
    this.name = 'InvalidTimeZoneError';
  }
}

/** Thrown for a malformed wall-clock string (see `parseWallTime`). */
export class InvalidWallTimeError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`Invalid wall-clock date-time "${input}": ${reason}`);
    this.name = 'InvalidWallTimeError';
  }
}
