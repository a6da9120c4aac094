import { describeVpcs } from '../vpc/describe-vpcs.js';
import { describeVswitches } from '../vpc/describe-vswitches.js';
import type { AckActionName } from './actions.js';
import { checkServiceRole } from './handlers/check-service-role.js';
import { createCluster } from './handlers/create-cluster.js';
import { createClusterNodePool } from './handlers/create-cluster-node-pool.js';
import { deleteCluster } from './handlers/delete-cluster.js';
import { deleteClusterNodepool } from './handlers/delete-cluster-nodepool.js';
import { describeClusterDetail } from './handlers/describe-cluster-detail.js';
import { describeClusterNodePools } from './handlers/describe-cluster-node-pools.js';
import { describeClusterTasks } from './handlers/describe-cluster-tasks.js';
import { describeClusterUserKubeconfig } from './handlers/describe-cluster-user-kubeconfig.js';
import { describeClustersV1 } from './handlers/describe-clusters-v1.js';
import { describeClusterEvents, describeEvents } from './handlers/describe-events.js';
import { describeKubernetesVersionMetadata } from './handlers/describe-kubernetes-version-metadata.js';
import { describeTaskInfo } from './handlers/describe-task-info.js';
import { describeUserQuota } from './handlers/describe-user-quota.js';
import type { AckHandler } from './handlers/handler.js';
import { installClusterAddons } from './handlers/install-cluster-addons.js';
import { listAddons } from './handlers/list-addons.js';
import { listClusterAddonInstances } from './handlers/list-cluster-addon-instances.js';
import { modifyCluster } from './handlers/modify-cluster.js';
import { modifyClusterAddon } from './handlers/modify-cluster-addon.js';
import { modifyClusterNodePool } from './handlers/modify-cluster-node-pool.js';
import { revokeK8sClusterKubeConfig } from './handlers/revoke-kubeconfig.js';
import { tagResources } from './handlers/tag-resources.js';
import { uninstallClusterAddons } from './handlers/uninstall-cluster-addons.js';
import { upgradeCluster } from './handlers/upgrade-cluster.js';
import { upgradeClusterAddons } from './handlers/upgrade-cluster-addons.js';

/**
 * ROA routing: the method and path pick the action, exactly as @alicloud/cs20151215 7.2.0 builds
 * them (`pathname` and `method` in dist/client.js); `x-acs-action` is only signed.
 */

interface Route {
  method: string;
  pattern: RegExp;
  action: AckActionName;
  /** Names of the path's capture groups, in order. */
  params: string[];
  handler: AckHandler;
}

const route = (
  method: string,
  pattern: RegExp,
  action: AckActionName,
  handler: AckHandler,
  params: string[] = [],
): Route => ({ method, pattern, action, params, handler });

const ID = '([^/]+)';

const ROUTES: Route[] = [
  route('POST', /^\/clusters$/, 'CreateCluster', createCluster),
  route('GET', new RegExp(`^/clusters/${ID}$`), 'DescribeClusterDetail', describeClusterDetail, [
    'ClusterId',
  ]),
  route('DELETE', new RegExp(`^/clusters/${ID}$`), 'DeleteCluster', deleteCluster, ['ClusterId']),
  route('GET', /^\/api\/v1\/clusters$/, 'DescribeClustersV1', describeClustersV1),
  route('GET', new RegExp(`^/tasks/${ID}$`), 'DescribeTaskInfo', describeTaskInfo, ['task_id']),
  route(
    'GET',
    /^\/api\/v1\/metadata\/versions$/,
    'DescribeKubernetesVersionMetadata',
    describeKubernetesVersionMetadata,
  ),
  route('PUT', new RegExp(`^/api/v2/clusters/${ID}$`), 'ModifyCluster', modifyCluster, [
    'ClusterId',
  ]),
  route(
    'GET',
    new RegExp(`^/clusters/${ID}/events$`),
    'DescribeClusterEvents',
    describeClusterEvents,
    ['ClusterId'],
  ),
  route('GET', /^\/events$/, 'DescribeEvents', describeEvents),
  route(
    'GET',
    new RegExp(`^/clusters/${ID}/tasks$`),
    'DescribeClusterTasks',
    describeClusterTasks,
    ['ClusterId'],
  ),
  route(
    'GET',
    new RegExp(`^/k8s/${ID}/user_config$`),
    'DescribeClusterUserKubeconfig',
    describeClusterUserKubeconfig,
    ['ClusterId'],
  ),
  route('POST', /^\/ram\/check-service-role$/, 'CheckServiceRole', checkServiceRole),
  route('GET', /^\/quota$/, 'DescribeUserQuota', describeUserQuota),
  route('PUT', /^\/tags$/, 'TagResources', tagResources),
  route('GET', /^\/addons$/, 'ListAddons', listAddons),
  route(
    'GET',
    new RegExp(`^/clusters/${ID}/nodepools$`),
    'DescribeClusterNodePools',
    describeClusterNodePools,
    ['ClusterId'],
  ),
  route(
    'POST',
    new RegExp(`^/clusters/${ID}/nodepools$`),
    'CreateClusterNodePool',
    createClusterNodePool,
    ['ClusterId'],
  ),
  route(
    'PUT',
    new RegExp(`^/clusters/${ID}/nodepools/${ID}$`),
    'ModifyClusterNodePool',
    modifyClusterNodePool,
    ['ClusterId', 'NodepoolId'],
  ),
  route(
    'DELETE',
    new RegExp(`^/clusters/${ID}/nodepools/${ID}$`),
    'DeleteClusterNodepool',
    deleteClusterNodepool,
    ['ClusterId', 'NodepoolId'],
  ),
  route(
    'DELETE',
    new RegExp(`^/k8s/${ID}/certs$`),
    'RevokeK8sClusterKubeConfig',
    revokeK8sClusterKubeConfig,
    ['ClusterId'],
  ),
  route('POST', new RegExp(`^/api/v2/clusters/${ID}/upgrade$`), 'UpgradeCluster', upgradeCluster, [
    'ClusterId',
  ]),
  route(
    'GET',
    new RegExp(`^/clusters/${ID}/addon_instances$`),
    'ListClusterAddonInstances',
    listClusterAddonInstances,
    ['ClusterId'],
  ),
  route(
    'POST',
    new RegExp(`^/clusters/${ID}/components/install$`),
    'InstallClusterAddons',
    installClusterAddons,
    ['ClusterId'],
  ),
  route(
    'POST',
    new RegExp(`^/clusters/${ID}/components/upgrade$`),
    'UpgradeClusterAddons',
    upgradeClusterAddons,
    ['ClusterId'],
  ),
  route(
    'POST',
    new RegExp(`^/clusters/${ID}/components/uninstall$`),
    'UnInstallClusterAddons',
    uninstallClusterAddons,
    ['ClusterId'],
  ),
  route(
    'POST',
    new RegExp(`^/clusters/${ID}/components/${ID}/config$`),
    'ModifyClusterAddon',
    modifyClusterAddon,
    ['ClusterId', 'ComponentId'],
  ),
];

/**
 * RPC-style actions (the VPC API, 2016-04-28): `POST /` with the action and version in the signed
 * `x-acs-action` / `x-acs-version` headers and the parameters in the query (openapi-core 1.0.8
 * `doRequest` for `style: "RPC"`). The ACK emulator serves them because it holds the account's
 * VPCs (catalog.ts); point the VPC SDK's endpoint at it.
 */
interface RpcRoute {
  version: string;
  action: AckActionName;
  handler: AckHandler;
}

const RPC_ROUTES: RpcRoute[] = [
  { version: '2016-04-28', action: 'DescribeVpcs', handler: describeVpcs },
  { version: '2016-04-28', action: 'DescribeVSwitches', handler: describeVswitches },
];

export type { Route, RpcRoute };
export { ROUTES, RPC_ROUTES };
