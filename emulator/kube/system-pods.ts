import { randomBytes } from 'node:crypto';

/**
 * What a new ACK Serverless cluster already holds before anyone deploys to it: the standard
 * namespaces, and CoreDNS (two replicas, as ACK installs it) in kube-system. That makes "only
 * system pods" a real case for the janitor instead of an empty list. Real ASK clusters may run
 * more add-ons (metrics, logging) depending on the create options; two pods are enough to
 * prove they are told apart from workloads.
 */

const INITIAL_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

/** ECI pods land on ASK's virtual node, not a real one. */
const VIRTUAL_NODE = 'virtual-kubelet';

interface SeedPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  containers: { name: string; image: string }[];
}

/** Kubernetes' random name suffixes use this alphabet (no vowels, no confusable digits). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const randomSuffix = (length: number): string =>
  [...randomBytes(length)]
    .map((byte) => SUFFIX_ALPHABET[byte % SUFFIX_ALPHABET.length] ?? 'x')
    .join('');

const systemPods = (): SeedPod[] => {
  const replicaSet = `coredns-${randomSuffix(10)}`;
  return [1, 2].map(() => ({
    namespace: 'kube-system',
    name: `${replicaSet}-${randomSuffix(5)}`,
    labels: { 'k8s-app': 'kube-dns' },
    containers: [
      { name: 'coredns', image: 'registry-cn-hangzhou-vpc.ack.aliyuncs.com/acs/coredns' },
    ],
  }));
};

export type { SeedPod };
export { INITIAL_NAMESPACES, randomSuffix, systemPods, VIRTUAL_NODE };
