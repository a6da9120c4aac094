import { stringify } from 'yaml';

/**
 * A kubeconfig shaped like the ones ACK's DescribeClusterUserKubeconfig returns (cluster named
 * `kubernetes`, context `<user>-<clusterId>`), except for the user: ACK issues an x509 client
 * certificate, the emulator a bearer token. Both are credentials that expire; the token keeps the
 * emulator free of a client-certificate CA and lets it tell clusters apart by token as well.
 */

interface KubeconfigInput {
  server: string;
  caCertPem: string;
  clusterId: string;
  user: string;
  token: string;
}

const renderKubeconfig = (input: KubeconfigInput): string => {
  const context = `${input.user}-${input.clusterId}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'kubernetes',
        cluster: {
          server: input.server,
          'certificate-authority-data': Buffer.from(input.caCertPem).toString('base64'),
        },
      },
    ],
    contexts: [{ name: context, context: { cluster: 'kubernetes', user: input.user } }],
    'current-context': context,
    preferences: {},
    users: [{ name: input.user, user: { token: input.token } }],
  });
};

export type { KubeconfigInput };
export { renderKubeconfig };
