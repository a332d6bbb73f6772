import { Inject, Injectable } from '@nestjs/common';
import { GraphClient, OFFICE_HOURS_EXPAND, type GraphEvent } from '@ocb/graph-client';
import type { UserTokenResponse } from '@ocb/service-clients';
import type { GraphEventWrite } from '../events/form-mapper';
import { DelegatedTokens } from './delegated-tokens';
import { GRAPH_CLIENT } from './graph.tokens';

const READ_HEADERS = { Prefer: 'outlook.timezone="UTC", outlook.body-content-type="text"' };

const eventPath = (id: string) => `/me/events/${encodeURIComponent(id)}`;

/**
 * The user's own calendar, through Graph with the user's delegated token (`/me`, the token and
 * limiter keyed by the user). Failures are the Graph client's classified errors (or auth's answer),
 * which the platform's exception filter answers in the contract's terms.
 */
@Injectable()
export class UserCalendar {
  constructor(
    @Inject(GRAPH_CLIENT) private readonly graph: GraphClient,
    private readonly tokens: DelegatedTokens,
  ) {}

  /** The user's token (asks auth): 409 CONSENT_REQUIRED / 404 before anything is sent to Graph. */
  async connect(user: string): Promise<UserTokenResponse> {
    return this.tokens.get(user);
  }

  /** One event of the user's mailbox (instants in UTC, body as text, the office hours tag expanded). */
  async get(user: string, id: string): Promise<GraphEvent> {
    return this.graph.get<GraphEvent>(eventPath(id), { mailbox: user, headers: READ_HEADERS, query: { $expand: OFFICE_HOURS_EXPAND } });
  }

  /** POST with a transactionId, so the client may repeat it and Graph keeps one event. */
  async create(user: string, body: GraphEventWrite & { transactionId: string }): Promise<GraphEvent> {
    return this.graph.post<GraphEvent>('/me/events', body, { mailbox: user, idempotent: true });
  }

  async patch(user: string, id: string, body: GraphEventWrite): Promise<GraphEvent> {
    return this.graph.patch<GraphEvent>(eventPath(id), body, { mailbox: user });
  }

  /** Deleting a meeting as its organizer cancels it for the attendees. */
  async delete(user: string, id: string): Promise<void> {
    await this.graph.delete(eventPath(id), { mailbox: user });
  }
}
