import type { EndpointsFor } from '../render.js';
import type { ClusterStore } from '../store.js';
import type { EmulatorTiming } from '../types.js';

/** What every operation handler receives and returns; handlers throw `ackErrors.*` (errors.ts). */

interface KubeconfigRequest {
  clusterId: string;
  clusterName: string;
  durationMinutes: number;
  /** true: the intranet endpoint was asked for (PrivateIpAddress=true). */
  privateIp: boolean;
}

interface IssuedKubeconfig {
  /** The kubeconfig YAML. */
  config: string;
  expiration: Date;
}

/** Plugs an emulated Kubernetes API in: issues the kubeconfig a running cluster hands out. */
type KubeconfigFor = (input: KubeconfigRequest) => Promise<IssuedKubeconfig> | IssuedKubeconfig;

interface HandlerContext {
  store: ClusterStore;
  now: () => number;
  timing: EmulatorTiming;
  askClusterQuota: number;
  /** Why a creation of this name fails (failNamePattern, fail-creation faults), or undefined. */
  creationFailure: (name: string) => string | undefined;
  /** Why a change task of this type fails mid-way (fail-task faults), or undefined. */
  taskFailure: (taskType: string) => string | undefined;
  endpointsFor: EndpointsFor;
  /** The RAM service roles the emulated account has authorised. */
  grantedRoles: ReadonlySet<string>;
  kubeconfigFor: KubeconfigFor | undefined;
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

type AckHandler = (request: AckRequest, context: HandlerContext) => AckReply | Promise<AckReply>;

export type {
  AckHandler,
  AckReply,
  AckRequest,
  HandlerContext,
  IssuedKubeconfig,
  KubeconfigFor,
  KubeconfigRequest,
};
