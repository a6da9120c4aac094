/** Every action the emulator serves (ACK's, and the VPC API's two); faults are scoped by these. */
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
  'RevokeK8sClusterKubeConfig',
  'UpgradeCluster',
  'CreateClusterNodePool',
  'ModifyClusterNodePool',
  'DeleteClusterNodepool',
  'ListClusterAddonInstances',
  'InstallClusterAddons',
  'UpgradeClusterAddons',
  'ModifyClusterAddon',
  'UnInstallClusterAddons',
  // The VPC API (2016-04-28), served by the same emulator: it holds the account's VPCs.
  'DescribeVpcs',
  'DescribeVSwitches',
] as const;

type AckActionName = (typeof ACK_ACTIONS)[number];

export type { AckActionName };
export { ACK_ACTIONS };
