/** Every ACK action the emulator serves; faults are scoped by these names. */
const ACK_ACTIONS = [
  'CreateCluster',
  'DescribeClusterDetail',
  'DeleteCluster',
  'DescribeClustersV1',
  'DescribeTaskInfo',
  'DescribeClusterTasks',
  'DescribeKubernetesVersionMetadata',
  'ModifyCluster',
  'DescribeClusterEvents',
  'DescribeEvents',
  'DescribeClusterUserKubeconfig',
  'CheckServiceRole',
  'DescribeUserQuota',
  'TagResources',
  'ListAddons',
  'DescribeClusterNodePools',
] as const;

type AckActionName = (typeof ACK_ACTIONS)[number];

export type { AckActionName };
export { ACK_ACTIONS };
