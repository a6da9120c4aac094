/**
 * The ContainerGroupLister port: an ACK Serverless cluster's pods as Elastic Container Instance
 * sees them. Every pod of an ASK cluster runs as one ECI container group ("each elastic container
 * instance is a pod", ACK Serverless docs, "Overview of elastic container instances"), so ECI's
 * DescribeContainerGroups (API 2018-08-08) tells what runs in a cluster through the cloud API
 * alone: no path to the cluster's API server, which a cluster on `network: "auto"` keeps in a
 * VPC of its own. The janitor reads idleness this way (shared/janitor/read-activity.ts).
 */

/** One container group, reduced to what activity is computed from. Times are absent when ECI omits them. */
interface ContainerGroupFacts {
  containerGroupId: string;
  /** ECI's status verbatim: Pending, Scheduling, Running, Succeeded, Failed, Expired, … */
  status: string;
  vpcId: string | null;
  vSwitchId: string | null;
  tags: Readonly<Record<string, string>>;
  creationTime: Date | null;
  succeededTime: Date | null;
  failedTime: Date | null;
  /** Each container's current (and previous) start and finish times. */
  containerStartTimes: Date[];
  containerFinishTimes: Date[];
}

interface ListContainerGroupsInput {
  regionId: string;
  /** DescribeContainerGroups' `VSwitchId` filter. */
  vSwitchId: string;
}

interface ContainerGroupLister {
  /**
   * Every page (NextToken followed to the end). Throws EciError (ECI_UNAVAILABLE): an answer
   * that is not a list is never taken for an empty one.
   */
  list(input: ListContainerGroupsInput): Promise<ContainerGroupFacts[]>;
}

export type { ContainerGroupFacts, ContainerGroupLister, ListContainerGroupsInput };
