import type { WebhookEventType } from '../domain/webhook-event.js';

/** A tenant's webhook endpoint; an empty `eventTypes` subscribes to every type. */
interface WebhookEndpoint {
  id: string;
  tenantId: string;
  url: string;
  eventTypes: WebhookEventType[];
  description: string | null;
  /** Set when the receiver answered 410 Gone (or an operator disabled it), with why. */
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
}

/** A tenant's webhook endpoints. */
interface WebhookEndpointStore {
  createWebhookEndpoint(input: {
    id: string;
    tenantId: string;
    url: string;
    eventTypes: readonly WebhookEventType[];
    description: string | null;
    at: Date;
  }): Promise<WebhookEndpoint>;
  /** One tenant's endpoints in id order. */
  listWebhookEndpoints(input: {
    tenantId: string;
    afterId?: string;
    limit: number;
  }): Promise<WebhookEndpoint[]>;
  /** Enabled endpoints of the tenant subscribed to `eventType` (or to every type). */
  listSubscribedEndpoints(input: {
    tenantId: string;
    eventType: WebhookEventType;
  }): Promise<WebhookEndpoint[]>;
  /** An endpoint by id; only the tenant's when `tenantId` is given. */
  getWebhookEndpoint(input: { id: string; tenantId?: string }): Promise<WebhookEndpoint | null>;
  /** False when the tenant has no such endpoint. */
  deleteWebhookEndpoint(input: { id: string; tenantId: string }): Promise<boolean>;
  /** Clears `disabledAt`; `null` when the tenant has no such endpoint. */
  enableWebhookEndpoint(input: { id: string; tenantId: string }): Promise<WebhookEndpoint | null>;
  /**
   * Changes what is given; `enabled: false` disables with `disabledReason` (an endpoint already
   * disabled keeps its first reason), `enabled: true` clears it. `null` when the tenant has no
   * such endpoint.
   */
  updateWebhookEndpoint(input: {
    id: string;
    tenantId: string;
    url?: string;
    eventTypes?: readonly WebhookEventType[];
    description?: string | null;
    enabled?: boolean;
    disabledReason: string;
    at: Date;
  }): Promise<WebhookEndpoint | null>;
  /** Disables an enabled endpoint (a disabled one keeps its first reason). */
  disableWebhookEndpoint(input: { id: string; reason: string; at: Date }): Promise<void>;
}

export type { WebhookEndpoint, WebhookEndpointStore };
