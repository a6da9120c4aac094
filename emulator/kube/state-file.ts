import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod';
import type { KubeState } from './types.js';

/**
 * The emulated Kubernetes API's state on disk: the CA (so kubeconfigs handed out before a restart
 * still verify the server), every cluster with its namespaces and pods, and the token hashes.
 */

const stringMap = z.record(z.string(), z.string());

const podSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  uid: z.string(),
  labels: stringMap,
  annotations: stringMap,
  generateName: z.string().optional(),
  containers: z.array(z.object({ name: z.string(), image: z.string() })),
  nodeName: z.string(),
  podIp: z.string(),
  phase: z.string(),
  createdAt: z.number(),
  startedAt: z.number(),
  resourceVersion: z.number().int(),
});

const clusterSchema = z.object({
  clusterId: z.string(),
  registeredAt: z.number(),
  removedAt: z.number().nullable(),
  revision: z.number().int(),
  namespaces: z.array(
    z.object({
      name: z.string(),
      uid: z.string(),
      createdAt: z.number(),
      resourceVersion: z.number().int(),
    }),
  ),
  pods: z.array(podSchema),
});

const stateSchema = z.object({
  version: z.literal(1),
  tls: z.object({
    caCert: z.string(),
    caKey: z.string(),
    serverCert: z.string(),
    serverKey: z.string(),
  }),
  clusters: z.array(clusterSchema),
  tokens: z.array(
    z.object({
      sha256: z.string(),
      clusterId: z.string(),
      user: z.string(),
      expiresAt: z.number(),
    }),
  ),
});

/** Missing file: a fresh start. A corrupt one is an error, not silently an empty account. */
const loadKubeState = (path: string): KubeState | undefined => {
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`Kubernetes emulator state file ${path} is not readable JSON`, {
      cause: error,
    });
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Kubernetes emulator state file ${path} is not valid: ${parsed.error.message}`);
  }
  const { tls, clusters, tokens } = parsed.data;
  return { tls, clusters, tokens };
};

/**
 * Write-then-rename, so a crash mid-write leaves the previous state. Mode 0600: the file holds the
 * CA's private key, which would let anyone on the machine impersonate the emulated API servers.
 */
const saveKubeState = (path: string, state: KubeState): void => {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ version: 1, ...state }), { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
};

export { loadKubeState, saveKubeState };
