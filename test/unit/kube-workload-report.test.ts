import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_NAMESPACES } from '../../shared/kube/workload-inspector.port.js';
import { computeWorkloadReport, type PodFacts } from '../../shared/kube/workload-report.js';

const at = (iso: string): Date => new Date(iso);

const pod = (
  namespace: string | undefined,
  options: { created?: string; started?: string; phase?: string; finished?: string[] } = {},
): PodFacts => ({
  metadata: {
    ...(namespace === undefined ? {} : { namespace }),
    ...(options.created === undefined ? {} : { creationTimestamp: at(options.created) }),
  },
  status: {
    phase: options.phase ?? 'Running',
    ...(options.started === undefined ? {} : { startTime: at(options.started) }),
    containerStatuses: (options.finished ?? []).map((finishedAt) => ({
      state: { terminated: { finishedAt: at(finishedAt) } },
    })),
  },
});

describe('computeWorkloadReport', () => {
  it('an empty cluster reports nothing and no activity', () => {
    expect(computeWorkloadReport([], DEFAULT_SYSTEM_NAMESPACES)).toEqual({
      workloadPods: 0,
      activeWorkloadPods: 0,
      systemPods: 0,
      lastActivityAt: null,
      namespaces: [],
    });
  });

  it('pods in kube-system, kube-public and kube-node-lease are system pods by default', () => {
    const report = computeWorkloadReport(
      [
        pod('kube-system', { started: '2025-06-01T10:00:00Z' }),
        pod('kube-public'),
        pod('kube-node-lease'),
      ],
      DEFAULT_SYSTEM_NAMESPACES,
    );
    expect(report).toMatchObject({ workloadPods: 0, systemPods: 3, lastActivityAt: null });
  });

  it('default is a workload namespace, not a system one', () => {
    const report = computeWorkloadReport([pod('default')], DEFAULT_SYSTEM_NAMESPACES);
    expect(report).toMatchObject({ workloadPods: 1, namespaces: ['default'] });
  });

  it('systemNamespaces replaces the default list', () => {
    const pods = [pod('kube-system'), pod('arms-prom')];
    expect(computeWorkloadReport(pods, ['arms-prom'])).toMatchObject({
      workloadPods: 1,
      systemPods: 1,
      namespaces: ['kube-system'],
    });
  });

  it('lastActivityAt is the newest start, creation or finish among workload pods only', () => {
    const report = computeWorkloadReport(
      [
        pod('a', { created: '2025-06-01T08:00:00Z', started: '2025-06-01T08:00:05Z' }),
        pod('b', { created: '2025-06-01T09:00:00Z' }),
        pod('c', { started: '2025-06-01T07:00:00Z', finished: ['2025-06-01T09:30:00Z'] }),
        pod('kube-system', { started: '2025-06-01T12:00:00Z' }),
      ],
      DEFAULT_SYSTEM_NAMESPACES,
    );
    expect(report.lastActivityAt?.toISOString()).toBe('2025-06-01T09:30:00.000Z');
  });

  it('finished pods (Succeeded, Failed) are workload but not active; Pending and phaseless are active', () => {
    const report = computeWorkloadReport(
      [
        pod('jobs', { phase: 'Succeeded' }),
        pod('jobs', { phase: 'Failed' }),
        pod('web', { phase: 'Pending' }),
        { metadata: { namespace: 'web' } },
      ],
      DEFAULT_SYSTEM_NAMESPACES,
    );
    expect(report).toMatchObject({ workloadPods: 4, activeWorkloadPods: 2 });
  });

  it('a pod without a namespace counts as workload (the safe side: never a false idle)', () => {
    const report = computeWorkloadReport([pod(undefined)], DEFAULT_SYSTEM_NAMESPACES);
    expect(report).toMatchObject({ workloadPods: 1, activeWorkloadPods: 1, namespaces: [] });
  });

  it('invalid dates are ignored instead of poisoning lastActivityAt', () => {
    const report = computeWorkloadReport(
      [
        { metadata: { namespace: 'a', creationTimestamp: new Date(Number.NaN) } },
        pod('b', { started: '2025-06-01T08:00:00Z' }),
      ],
      DEFAULT_SYSTEM_NAMESPACES,
    );
    expect(report.lastActivityAt?.toISOString()).toBe('2025-06-01T08:00:00.000Z');
  });

  it('namespaces are distinct and sorted', () => {
    const report = computeWorkloadReport(
      [pod('zeta'), pod('alpha'), pod('zeta'), pod('kube-system')],
      DEFAULT_SYSTEM_NAMESPACES,
    );
    expect(report.namespaces).toEqual(['alpha', 'zeta']);
  });
});
