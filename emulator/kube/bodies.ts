import * as z from 'zod';
import { kubeErrors } from './errors.js';
import type { NewPod } from './store.js';

/**
 * The request bodies the emulator accepts, validated as the API server would (422 Invalid with a
 * cause per field). Only what the emulator keeps is read; everything else in a Pod spec is
 * accepted and dropped.
 */

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const stringMap = z.record(z.string(), z.string());

const podSchema = z.object({
  metadata: z.object({
    name: z.string().optional(),
    generateName: z.string().optional(),
    namespace: z.string().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  }),
  spec: z.object({
    containers: z.array(z.object({ name: z.string(), image: z.string() })).min(1),
  }),
});

const namespaceSchema = z.object({ metadata: z.object({ name: z.string() }) });

const causesOf = (error: z.ZodError) =>
  error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message }));

const nameOf = (body: unknown): string => {
  if (typeof body !== 'object' || body === null) return '';
  const metadata: unknown = Reflect.get(body, 'metadata');
  if (typeof metadata !== 'object' || metadata === null) return '';
  const name: unknown = Reflect.get(metadata, 'name');
  return typeof name === 'string' ? name : '';
};

const parsePodBody = (body: unknown, namespace: string): NewPod => {
  const parsed = podSchema.safeParse(body);
  if (!parsed.success) throw kubeErrors.invalid('Pod', nameOf(body), causesOf(parsed.error));
  const { metadata, spec } = parsed.data;
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
    throw kubeErrors.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  if (metadata.name === undefined && metadata.generateName === undefined) {
    throw kubeErrors.invalid('Pod', '', [
      { field: 'metadata.name', message: 'Required value: name or generateName is required' },
    ]);
  }
  if (
    metadata.name !== undefined &&
    (metadata.name.length > 253 || !DNS_SUBDOMAIN.test(metadata.name))
  ) {
    throw kubeErrors.invalid('Pod', metadata.name, [
      {
        field: 'metadata.name',
        message: `Invalid value: "${metadata.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`,
      },
    ]);
  }
  return {
    namespace,
    name: metadata.name,
    generateName: metadata.generateName,
    labels: metadata.labels,
    annotations: metadata.annotations,
    containers: spec.containers.map(({ name, image }) => ({ name, image })),
  };
};

const parseNamespaceBody = (body: unknown): string => {
  const parsed = namespaceSchema.safeParse(body);
  if (!parsed.success) throw kubeErrors.invalid('Namespace', nameOf(body), causesOf(parsed.error));
  const { name } = parsed.data.metadata;
  if (name.length > 63 || !DNS_LABEL.test(name)) {
    throw kubeErrors.invalid('Namespace', name, [
      {
        field: 'metadata.name',
        message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`,
      },
    ]);
  }
  return name;
};

export { parseNamespaceBody, parsePodBody };
