import 'express-session';

export interface SignedInUser {
  /** The user principal name, as the services take it in `{user}`. */
  upn: string;
  name: string;
  oid: string;
}

declare module 'express-session' {
  interface SessionData {
    user?: SignedInUser;
    csrf?: string;
    /** A sign-in under way: PKCE verifier, state, nonce and where to return. */
    pending?: { verifier: string; state: string; nonce: string; returnTo: string };
    locale?: string;
    flash?: string;
    /** The flash is a warning (role=alert), e.g. office hours overlapping the organizer's events. */
    flashWarn?: boolean;
    /** When the Reminders page was last opened: the bell counts newer reminders. */
    remindersSeenAt?: string;
  }
}
