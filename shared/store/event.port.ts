import type { NewProvisionEvent, ProvisionEvent } from '../domain/provision.js';

/** A provision's timeline. */
interface EventStore {
  /** Timeline in sequence order. Appending an event that repeats (type, message) of the last one is skipped. */
  listEvents(input: {
    provisionId: string;
    afterSequence?: number;
    limit: number;
  }): Promise<ProvisionEvent[]>;
  appendEvent(input: { provisionId: string; event: NewProvisionEvent }): Promise<void>;
}

export type { EventStore };
