import { randomBytes } from 'node:crypto';
import { stringify } from 'yaml';
import type { IssuedKubeconfig, KubeconfigRequest } from './handlers/handler.js';
import type { ClusterEndpoints } from './types.js';

/**
 * The kubeconfig a running emulated cluster hands out when no Kubernetes emulator is plugged in
 * (the `kubeconfigFor` option): shaped like ACK's (one cluster, one user, one context named
 * `<user>-<cluster id>`), pointing at the cluster's `master_url` address, with a random bearer
 * token instead of ACK's client certificate, and `insecure-skip-tls-verify` because there is no
 * server behind the address to present a certificate (both simplifications: docs/emulator.md).
 */

const ACCOUNT_USER = '1000000000000001';

// A public credential is only issued for a cluster with a public endpoint (the handler checks).
const serverOf = (endpoints: ClusterEndpoints, privateIp: boolean): string =>
  (privateIp ? endpoints.intranet : endpoints.internet) ?? 'https://192.168.0.1:6443';

const defaultKubeconfig = (
  input: KubeconfigRequest,
  endpoints: ClusterEndpoints,
  now: number,
): IssuedKubeconfig => {
  const context = `${ACCOUNT_USER}-${input.clusterId}`;
  const config = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kubernetes',
        cluster: { server: serverOf(endpoints, input.privateIp), 'insecure-skip-tls-verify': true },
      },
    ],
    contexts: [{ name: context, context: { cluster: 'kubernetes', user: ACCOUNT_USER } }],
    'current-context': context,
    preferences: {},
    users: [{ name: ACCOUNT_USER, user: { token: randomBytes(24).toString('hex') } }],
  });
  return { config, expiration: new Date(now + input.durationMinutes * 60_000) };
};

export { defaultKubeconfig };
