import { describe, expect, it } from 'vitest';
import { EMULATED_VERSIONS } from '../../emulator/ack/ack-emulator.js';
import { ASK_SERVICE_ROLES } from '../../shared/ack/service-roles.js';
import {
  ACCESS_KEY_ID,
  ACCESS_KEY_SECRET,
  adapterFor,
  caught,
  clusterInput,
  REGION,
  startEmulator,
  startHarness,
} from './ack-harness.js';

/**
 * The account-level reads a preflight makes (DescribeKubernetesVersionMetadata, CheckServiceRole,
 * DescribeUserQuota), what CreateCluster does when a role is missing, and STS credentials, through
 * the real SDK and adapter against the emulator.
 */

describe('account reads through the adapter', () => {
  it('lists creatable Serverless versions by default and every supported one on request', async () => {
    const { api, emulator } = await startHarness();
    const creatable = await api.listKubernetesVersions({ regionId: REGION });
    expect(creatable.map((entry) => entry.version)).toEqual(
      EMULATED_VERSIONS.filter((entry) => entry.creatable).map((entry) => entry.version),
    );
    expect(creatable.every((entry) => entry.creatable)).toBe(true);
    expect(creatable[0]).toEqual({
      version: '1.33.1-aliyun.1',
      releaseDate: '2025-07-01T00:00:00Z',
      expirationDate: '2026-09-01T00:00:00Z',
      creatable: true,
    });
    const supported = await api.listKubernetesVersions({
      regionId: REGION,
      profile: 'Serverless',
      mode: 'supported',
    });
    expect(supported).toHaveLength(EMULATED_VERSIONS.length);
    expect(supported.some((entry) => !entry.creatable)).toBe(true);
    expect(emulator.stats()).toEqual({ DescribeKubernetesVersionMetadata: 2 });
  });

  it('refuses versions of a region ACK does not serve (ACK_INVALID_REQUEST)', async () => {
    const { api } = await startHarness();
    const error = await caught(api.listKubernetesVersions({ regionId: 'mars-north-1' }));
    expect(error).toMatchObject({ code: 'ACK_INVALID_REQUEST', retryable: false });
  });

  it('reports every ASK service role as granted in a fully authorised account', async () => {
    const { api } = await startHarness();
    const roles = await api.checkServiceRoles({ roles: [...ASK_SERVICE_ROLES] });
    expect(roles.map((role) => role.name)).toEqual([...ASK_SERVICE_ROLES]);
    expect(roles.every((role) => role.granted && role.message === '')).toBe(true);
  });

  it('names the roles an account has not authorised', async () => {
    const { api } = await startHarness({ grantedRoles: ['AliyunCSDefaultRole'] });
    const roles = await api.checkServiceRoles({
      roles: ['AliyunCSDefaultRole', 'AliyunECIContainerGroupRole'],
    });
    expect(roles).toEqual([
      { name: 'AliyunCSDefaultRole', granted: true, message: '' },
      {
        name: 'AliyunECIContainerGroupRole',
        granted: false,
        message: 'The role does not exist: AliyunECIContainerGroupRole',
      },
    ]);
  });

  it.each([
    ['AliyunCSServerlessKubernetesRole', 'EntityNotExist.Role'],
    ['AliyunECIContainerGroupRole', 'EntityNotExist.AliyunECIContainerGroupRole'],
  ])(
    'refuses CreateCluster without %s (ACK_PERMISSION_DENIED, not retried)',
    async (missing, ackCode) => {
      const { api, emulator } = await startHarness({
        grantedRoles: ASK_SERVICE_ROLES.filter((role) => role !== missing),
      });
      const error = await caught(api.createCluster(clusterInput()));
      expect(error).toMatchObject({ code: 'ACK_PERMISSION_DENIED', retryable: false });
      expect(error.ackCode).toBe(ackCode);
      expect(error.message.toLowerCase()).toContain(missing.toLowerCase());
      expect(emulator.stats()).toEqual({ CreateCluster: 1 });
      expect(emulator.listAllClusters()).toHaveLength(0);
    },
  );

  it("reports the emulator's ASK cluster quota and ACK's documented defaults", async () => {
    const { api } = await startHarness({ askClusterQuota: 3 });
    expect(await api.describeUserQuota()).toEqual({
      askClusterQuota: 3,
      clusterQuota: 50,
      amkClusterQuota: 20,
      nodeQuota: 100,
      clusterNodepoolQuota: 20,
      quotas: {},
    });
  });
});

describe('STS credentials', () => {
  const token = 'sts-token-CAIS-0123456789abcdef';

  it('sends the security token, which an STS-only emulator requires', async () => {
    const { emulator } = await startEmulator({ securityToken: token });
    const { api } = adapterFor(emulator, {
      credentials: {
        accessKeyId: ACCESS_KEY_ID,
        accessKeySecret: ACCESS_KEY_SECRET,
        securityToken: token,
      },
    });
    expect((await api.listClusters({ regionId: REGION })).totalCount).toBe(0);
  });

  it('is refused without the right token (ACK_AUTH_FAILED), which never appears in the error', async () => {
    const { emulator } = await startEmulator({ securityToken: token });
    const wrongToken = 'sts-token-CAIS-wrong-0000000000';
    for (const securityToken of [undefined, wrongToken]) {
      const { api } = adapterFor(emulator, {
        credentials: {
          accessKeyId: ACCESS_KEY_ID,
          accessKeySecret: ACCESS_KEY_SECRET,
          ...(securityToken === undefined ? {} : { securityToken }),
        },
      });
      const error = await caught(api.describeUserQuota());
      expect(error).toMatchObject({ code: 'ACK_AUTH_FAILED', retryable: false });
      expect(error.ackCode).toBe('InvalidSecurityToken.MismatchWithAccessKey');
      const text = JSON.stringify({ ...error, message: error.message });
      expect(text).not.toContain(wrongToken);
      expect(text).not.toContain(ACCESS_KEY_SECRET);
    }
  });
});
