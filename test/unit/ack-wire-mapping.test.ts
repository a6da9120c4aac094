import { describe, expect, it } from 'vitest';
import {
  parseMasterUrl,
  toAckCluster,
  toAckTask,
  toCreateClusterRequest,
  toDeleteClusterRequest,
} from '../../shared/ack/ack-wire-mapping.js';

describe('ACK wire mapping', () => {
  it('reads both endpoints from the master_url JSON string', () => {
    expect(
      parseMasterUrl(
        '{"api_server_endpoint":"https://47.1.2.3:6443","intranet_api_server_endpoint":"https://192.168.0.9:6443"}',
      ),
    ).toEqual({ internet: 'https://47.1.2.3:6443', intranet: 'https://192.168.0.9:6443' });
  });

  it('treats empty endpoints (no public access, not running yet) as absent', () => {
    expect(
      parseMasterUrl(
        '{"api_server_endpoint":"","intranet_api_server_endpoint":"https://10.0.0.1:6443"}',
      ),
    ).toEqual({ intranet: 'https://10.0.0.1:6443' });
    expect(parseMasterUrl('')).toEqual({});
    expect(parseMasterUrl(undefined)).toEqual({});
  });

  it('survives a master_url that is not JSON', () => {
    expect(parseMasterUrl('https://not-json')).toEqual({});
    expect(parseMasterUrl('null')).toEqual({});
  });

  it('turns the tag list into a record and missing strings into null', () => {
    const cluster = toAckCluster(
      {
        clusterId: 'c1',
        tags: [{ key: 'a', value: '1' }, { key: 'b' }, { value: 'orphan' }],
        currentVersion: '',
      },
      'fallback',
    );
    expect(cluster.tags).toEqual({ a: '1', b: '' });
    expect(cluster.currentVersion).toBeNull();
    expect(cluster.clusterSpec).toBeNull();
    expect(cluster.deletionProtection).toBe(false);
  });

  it('maps a task error only when ACK sent one', () => {
    expect(toAckTask({ state: 'running' }, 'T-1').error).toBeNull();
    expect(toAckTask({ error: {} }, 'T-1').error).toBeNull();
    expect(toAckTask({ error: { code: '400', message: 'failed to x' } }, 'T-1').error).toEqual({
      code: '400',
      message: 'failed to x',
    });
  });

  it('always asks for an ACK Serverless cluster and omits the version unless chosen', () => {
    const request = toCreateClusterRequest({
      name: 'n',
      regionId: 'cn-hangzhou',
      serviceCidr: '172.21.0.0/20',
      endpointPublicAccess: false,
      snatEntry: true,
      clusterSpec: 'ack.pro.small',
      addons: [{ name: 'nginx-ingress-controller', disabled: true }],
      tags: { owner: 'me' },
      deletionProtection: true,
    });
    expect(request).toMatchObject({
      clusterType: 'ManagedKubernetes',
      profile: 'Serverless',
      clusterSpec: 'ack.pro.small',
      snatEntry: true,
      deletionProtection: true,
      tags: [{ key: 'owner', value: 'me' }],
      addons: [{ name: 'nginx-ingress-controller', disabled: true }],
    });
    expect(request.kubernetesVersion).toBeUndefined();
    expect(request.vpcid).toBeUndefined();
    expect(request.vswitchIds).toBeUndefined();
  });

  it('sends delete options only when given', () => {
    expect(toDeleteClusterRequest(undefined).toMap()).toEqual({});
    expect(
      toDeleteClusterRequest({
        retainAllResources: false,
        deleteOptions: [{ resourceType: 'SLS_Data', deleteMode: 'retain' }],
      }).toMap(),
    ).toEqual({
      retain_all_resources: false,
      delete_options: [{ resource_type: 'SLS_Data', delete_mode: 'retain' }],
    });
  });
});
