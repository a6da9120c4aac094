import { ackErrors } from '../errors.js';
import { clusterStateAt } from '../lifecycle.js';
import { MAX_TAGS, validateTags } from '../tag-rules.js';
import type { StoredCluster, StoredTag } from '../types.js';
import { isRecord } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * TagResources `PUT /tags`, body `{region_id, resource_ids (≤50), resource_type: "CLUSTER",
 * tags (≤20)}`, answered `{"RequestId": …}` (PascalCase: the SDK's model names it so).
 *
 * Tags merge into each cluster's tags (a key already there takes the new value). All clusters are
 * checked before any is changed. UNVERIFIED: the code for an id that is no cluster of the region
 * (we answer ErrorClusterNotFound) and whether ACK counts the merged total against the 20-tag
 * limit (we do, with InvalidParameter).
 */

const MAX_RESOURCE_IDS = 50;

const mergeTags = (current: StoredTag[], added: StoredTag[]): StoredTag[] => {
  const merged = new Map(current.map((tag) => [tag.key, tag.value]));
  for (const tag of added) merged.set(tag.key, tag.value);
  return [...merged].map(([key, value]) => ({ key, value }));
};

const resourceIdsOf = (value: unknown): string[] => {
  if (!Array.isArray(value) || value.length === 0) {
    throw ackErrors.invalidParameter('resource_ids must be a non-empty array of cluster ids.');
  }
  if (value.length > MAX_RESOURCE_IDS) {
    throw ackErrors.invalidParameter(`At most ${MAX_RESOURCE_IDS} resource_ids are allowed.`);
  }
  return value.map((id) => {
    if (typeof id !== 'string' || id === '') {
      throw ackErrors.invalidParameter('resource_ids must be a non-empty array of cluster ids.');
    }
    return id;
  });
};

const tagResources: AckHandler = (request, context) => {
  const body = request.body;
  if (!isRecord(body)) throw ackErrors.invalidParameter('The request body must be a JSON object.');
  const regionId = body.region_id;
  if (typeof regionId !== 'string' || regionId === '') {
    throw ackErrors.invalidParameter('region_id is required.');
  }
  if (body.resource_type !== 'CLUSTER')
    throw ackErrors.invalidParameter('resource_type must be CLUSTER.');
  const ids = resourceIdsOf(body.resource_ids);
  const tags = validateTags(body.tags);
  if (tags.length === 0) throw ackErrors.invalidParameter('tags must name at least one tag.');
  const now = context.now();
  const updated = ids.map((id): StoredCluster => {
    const cluster = context.store.getCluster(id);
    if (
      cluster === undefined ||
      cluster.regionId !== regionId ||
      clusterStateAt(cluster, now) === 'deleted'
    ) {
      throw ackErrors.clusterNotFound(id);
    }
    const merged = mergeTags(cluster.tags, tags);
    if (merged.length > MAX_TAGS) {
      throw ackErrors.invalidParameter(
        `Cluster ${id} would have ${merged.length} tags; at most ${MAX_TAGS}.`,
      );
    }
    const message = `tags: ${tags.map((tag) => `${tag.key}=${tag.value}`).join(', ')}`;
    // Tagging has no task; its event carries an empty task id.
    return {
      ...cluster,
      tags: merged,
      changes: [...(cluster.changes ?? []), { at: now, taskId: '', message }],
    };
  });
  context.store.save({ clusters: updated });
  return { status: 200, body: { RequestId: request.requestId } };
};

export { tagResources };
