import { describe, expect, it } from 'vitest';
import { mergeTemplate, templateSpecSchema } from '../../shared/domain/cluster-template.js';

describe('a cluster template merged with a create body', () => {
  it("lets the body's fields win over the template's", () => {
    expect(
      mergeTemplate(
        { region: 'cn-hangzhou', clusterSpec: 'ack.pro.small', ttl: '8h' },
        { name: 'x', clusterSpec: 'ack.standard' },
      ),
    ).toEqual({ region: 'cn-hangzhou', clusterSpec: 'ack.standard', ttl: '8h', name: 'x' });
  });

  it('merges labels key by key, the body winning, so template labels survive', () => {
    expect(
      mergeTemplate({ labels: { team: 'data', env: 'ci' } }, { labels: { env: 'preview' } }),
    ).toEqual({ labels: { team: 'data', env: 'preview' } });
  });

  it('leaves labels that are not objects to the create rules to refuse', () => {
    expect(mergeTemplate({ labels: { team: 'data' } }, { labels: 'oops' })).toEqual({
      labels: 'oops',
    });
  });

  it('does not change either input', () => {
    const template = { labels: { team: 'data' } };
    const body = { labels: { env: 'ci' } };
    mergeTemplate(template, body);
    expect(template).toEqual({ labels: { team: 'data' } });
    expect(body).toEqual({ labels: { env: 'ci' } });
  });
});

describe('the fields a template may hold', () => {
  it('takes any create field but the cluster name and an absolute expiry', () => {
    expect(templateSpecSchema.safeParse({ region: 'cn-hangzhou', ttl: '2h' }).success).toBe(true);
    expect(templateSpecSchema.safeParse({}).success).toBe(true);
    expect(templateSpecSchema.safeParse({ name: 'x' }).success).toBe(false);
    expect(templateSpecSchema.safeParse({ expiresAt: '2099-01-01T00:00:00Z' }).success).toBe(false);
    expect(templateSpecSchema.safeParse({ template: 'other' }).success).toBe(false);
  });
});
