import { describe, expect, it } from 'vitest';
import { AckError } from '../../shared/ack/ack-error.js';
import {
  tenantFacingAckError,
  tenantFacingReason,
} from '../../shared/ack/tenant-facing-ack-error.js';
import { problemFor } from '../../shared/http/problem.js';

const ack = (code: AckError['code'], ackCode: string, message: string, retryable = false) =>
  new AckError(code, `ACK CreateCluster failed: ${ackCode} (HTTP 400): ${message}`, {
    action: 'CreateCluster',
    retryable,
    ackCode,
    requestId: 'REQ-1',
    statusCode: 400,
  });

describe('ACK errors as a tenant reads them', () => {
  it.each([
    [
      'a VPC that does not exist',
      'InvalidParameter',
      'The VPC vpc-x does not exist in region cn-hangzhou.',
      'network.vpcId',
    ],
    [
      'a vSwitch of another VPC',
      'InvalidParameter',
      'The vSwitch vsw-y does not exist in VPC vpc-x.',
      'network.vswitchIds',
    ],
    [
      'an addon ACK does not offer',
      'InvalidParameter',
      'addons: foo is not an addon of 1.33.1-aliyun.1.',
      'addons',
    ],
    ['a VPC by its code', 'InvalidVpcId.NotFound', 'not found', 'network.vpcId'],
  ])('names our field for %s, never ACK’s text', (_what, ackCode, message, field) => {
    const error = ack('ACK_INVALID_REQUEST', ackCode, message);
    const reason = tenantFacingAckError(error);
    expect(reason.field).toBe(field);
    expect(reason.message).not.toContain(message);
    expect(reason.message).not.toContain(ackCode);
    expect(reason.message).toContain('REQ-1');
    // A refused synchronous call is our fault (502): the caller reads nothing of ACK's.
    const problem = problemFor(error, '/v1/clusters');
    expect(problem).toMatchObject({ status: 502, code: 'INTERNAL' });
    expect(JSON.stringify(problem)).not.toContain(message);
  });

  it('says what an account-side refusal means without ACK’s numbers or names', () => {
    const quota = ack('ACK_QUOTA_EXCEEDED', 'QuotaExceeded.AskCluster', 'used 20 of 20 in 1234567');
    const problem = problemFor(quota, '/v1/clusters/x');
    expect(problem).toMatchObject({ status: 409, code: 'ACK_QUOTA_EXCEEDED' });
    expect(problem.detail).not.toMatch(/20|1234567/);
    expect(problem.field).toBeUndefined();
    const role = ack('ACK_PERMISSION_DENIED', 'ErrManagedAddonRoleNotAttach', 'addon role missing');
    expect(tenantFacingAckError(role).field).toBeUndefined();
  });

  it('passes a retryable ACK failure on with its code and our words', () => {
    const throttled = ack(
      'ACK_THROTTLED',
      'Throttling.User',
      'Request was denied due to user flow control.',
      true,
    );
    const problem = problemFor(throttled, '/v1/options');
    expect(problem).toMatchObject({ status: 503, code: 'ACK_THROTTLED' });
    expect(problem.detail).toContain('throttling');
    expect(problem.detail).not.toContain('flow control');
  });

  it('maps a failed creation task by its text, not by a word that only contains a keyword', () => {
    const stage = tenantFacingReason({
      code: 'ACK_CREATE_FAILED',
      ackCode: 'CreateClusterFailed',
      ackText: 'Emulated failure in stage CreateControlPlane: reasons.',
      otherwise: 'ACK could not create the cluster',
    });
    expect(stage).toEqual({ message: 'ACK could not create the cluster' });
    const noIp = tenantFacingReason({
      code: 'ACK_CREATE_FAILED',
      ackText: 'vSwitch has no free IP',
    });
    expect(noIp.field).toBe('network.vswitchIds');
    expect(noIp.message).not.toContain('free IP');
    expect(
      tenantFacingReason({ code: 'ACK_INVALID_REQUEST', ackCode: 'InvalidTag.Key' }).field,
    ).toBe('labels');
  });
});
