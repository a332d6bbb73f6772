import { Inject, Injectable } from '@nestjs/common';
import type { GraphClient } from '@ocb/graph-client';
import { GRAPH_CLIENT } from '../graph/graph.tokens';

export interface CreatedSubscription {
  id: string;
  expirationDateTime: string;
}

/** The Graph calls of change notifications (through the one client: token, budget, retries). */
@Injectable()
export class GraphSubscriptions {
  constructor(@Inject(GRAPH_CLIENT) private readonly graph: GraphClient) {}

  create(input: { userId: string; notificationUrl: string; lifecycleNotificationUrl: string; clientState: string; expiresAt: Date }): Promise<CreatedSubscription> {
    return this.graph.post<CreatedSubscription>('/subscriptions', {
      changeType: 'created,updated,deleted',
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.lifecycleNotificationUrl,
      resource: `users/${input.userId}/events`,
      expirationDateTime: input.expiresAt.toISOString(),
      clientState: input.clientState,
    });
  }

  renew(subscriptionId: string, expiresAt: Date): Promise<CreatedSubscription> {
    return this.graph.patch<CreatedSubscription>(`/subscriptions/${encodeURIComponent(subscriptionId)}`, { expirationDateTime: expiresAt.toISOString() });
  }

  remove(subscriptionId: string): Promise<void> {
    return this.graph.delete(`/subscriptions/${encodeURIComponent(subscriptionId)}`);
  }
}
