import { ApiProperty } from '@nestjs/swagger';
import type { SubscriptionsState, SubscriptionView } from '@ocb/service-clients';

/** OpenAPI shape of one mailbox's change-notification subscription. */
export class SubscriptionViewDto implements SubscriptionView {
  @ApiProperty({ description: 'Graph user id of the mailbox' }) userId!: string;
  @ApiProperty({ description: "Graph's subscription id" }) subscriptionId!: string;
  @ApiProperty({ description: 'When Graph removes it unless renewed (UTC ISO instant)' }) expiresAt!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) renewedAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Last change notification believed (clientState matched)' }) lastNotificationAt!: string | null;
  @ApiProperty({ type: String, nullable: true, enum: ['reauthorizationRequired', 'subscriptionRemoved', 'missed'] }) lastLifecycleEvent!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Last failed renewal' }) lastError!: string | null;
}

/** OpenAPI shape of `GET /api/sync/subscriptions`. */
export class SubscriptionsStateDto implements SubscriptionsState {
  @ApiProperty({ description: 'Change notifications are on (NOTIFICATIONS_PUBLIC_URL set); off: delta poll only' }) enabled!: boolean;
  @ApiProperty({ type: [SubscriptionViewDto] }) subscriptions!: SubscriptionViewDto[];
}
