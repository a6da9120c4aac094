import type { EndpointsFor } from '../render.js';
import type { ClusterStore } from '../store.js';
import type { EmulatorTiming } from '../types.js';

/** What every operation handler receives and returns; handlers throw AckEmulatorError. */

interface HandlerContext {
  store: ClusterStore;
  now: () => number;
  timing: EmulatorTiming;
  askClusterQuota: number;
  failNamePattern: RegExp | undefined;
  endpointsFor: EndpointsFor;
}

interface AckRequest {
  method: string;
  path: string;
  /** Decoded path parameters, e.g. `ClusterId`. */
  params: Record<string, string>;
  /** Decoded query parameters. */
  query: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  requestId: string;
}

interface AckReply {
  status: number;
  body: unknown;
}

type AckHandler = (request: AckRequest, context: HandlerContext) => AckReply;

export type { AckHandler, AckReply, AckRequest, HandlerContext };
