import type { AckHandler } from './handler.js';

/**
 * DescribeUserQuota `GET /quota`. `ask_cluster_quota` is the emulator's `askClusterQuota` option,
 * the limit CreateCluster enforces per region; the other numbers are ACK's documented defaults,
 * reported but not enforced. The newer `quotas` map is not sent (UNVERIFIED which quota codes ACK
 * lists there for ASK).
 */
const describeUserQuota: AckHandler = (_request, context) => ({
  status: 200,
  body: {
    amk_cluster_quota: 20,
    ask_cluster_quota: context.askClusterQuota,
    cluster_nodepool_quota: 20,
    cluster_quota: 50,
    node_quota: 100,
  },
});

export { describeUserQuota };
