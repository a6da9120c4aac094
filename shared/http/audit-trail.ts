import type { Clock } from '../clock.js';
import type { AuditAction, AuditRecord } from '../domain/audit.js';
import { newId } from '../ids.js';
import type { AuditStore } from '../store/audit.port.js';
import type { Principal } from './authenticate.js';
import type { HttpRequest, HttpResponse } from './fc-http-event.js';

/**
 * The audit half of an endpoint. A mutating endpoint declares its action and how to name what it
 * changed; after its handler answers 2xx the endpoint appends the record — unless the handler
 * already took the record (`AuditScribe.take`) to write it in the transaction of its own change.
 * Either way a mutating route cannot leave no trace: endpoint.ts runs this for every endpoint,
 * and test/unit/audit-routes.test.ts fails for a non-GET route that declares no action.
 */

/** What the record is about: the tenant concerned and `<kind>:<id>`. */
interface AuditSubject {
  tenantId: string;
  target: string;
}

interface AuditSubjectInput {
  params: Readonly<Record<string, string>>;
  principal: Principal;
  /** The response body, parsed (undefined when it is not JSON). */
  response: unknown;
}

interface AuditDoc {
  action: AuditAction;
  subject: (input: AuditSubjectInput) => AuditSubject;
}

/** A non-GET route that changes nothing (a dry run) says so, and why. */
interface NoAudit {
  none: string;
}

/** For the handler: the record of this request, taken to be written with the change itself. */
interface AuditScribe {
  take(subject: AuditSubject): AuditRecord;
}

const fieldOf = (value: unknown, name: string): string | undefined => {
  if (typeof value !== 'object' || value === null || !(name in value)) return undefined;
  const field: unknown = Reflect.get(value, name);
  return typeof field === 'string' ? field : undefined;
};

/** The caller's tenant; the target is the `{id}` in the path, or else the response's `id`. */
const ownTarget =
  (kind: string) =>
  ({ params, principal, response }: AuditSubjectInput): AuditSubject => ({
    tenantId: principal.tenantId,
    target: `${kind}:${params.id ?? fieldOf(response, 'id') ?? 'unknown'}`,
  });

/** An admin action on a tenant named by the `{id}` in the path. */
const tenantInPath =
  (kind: string) =>
  ({ params }: AuditSubjectInput): AuditSubject => ({
    tenantId: params.id ?? 'unknown',
    target: `${kind}:${params.id ?? 'unknown'}`,
  });

/** An admin action whose response names the tenant (`tenantId`, or `id` for a tenant). */
const tenantInResponse =
  (kind: string, tenantField: 'id' | 'tenantId') =>
  ({ params, response }: AuditSubjectInput): AuditSubject => ({
    tenantId: fieldOf(response, tenantField) ?? 'unknown',
    target: `${kind}:${params.id ?? fieldOf(response, 'id') ?? 'unknown'}`,
  });

const parsedBody = (response: HttpResponse): unknown => {
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
};

const createAuditScribe = (
  deps: { clock: Clock },
  action: AuditAction | undefined,
  request: HttpRequest,
  principal: Principal,
): AuditScribe & { taken: boolean; record: (subject: AuditSubject) => AuditRecord } => {
  const record = (subject: AuditSubject): AuditRecord => {
    if (action === undefined) throw new Error(`${request.method} ${request.path} has no audit`);
    const at = deps.clock.now();
    return {
      id: newId('aud', at.getTime()),
      at,
      action,
      actorKeyId: principal.keyId,
      actorTenantId: principal.tenantId,
      tenantId: subject.tenantId,
      target: subject.target,
      sourceIp: request.sourceIp ?? null,
      requestId: request.requestId,
    };
  };
  const scribe = {
    taken: false,
    record,
    take: (subject: AuditSubject): AuditRecord => {
      scribe.taken = true;
      return record(subject);
    },
  };
  return scribe;
};

/** After a 2xx: the record, unless the handler took it into its own transaction. */
const appendAudit = async (
  deps: { store: AuditStore; clock: Clock },
  input: {
    doc: AuditDoc;
    scribe: ReturnType<typeof createAuditScribe>;
    params: Readonly<Record<string, string>>;
    principal: Principal;
    response: HttpResponse;
  },
): Promise<void> => {
  const { doc, scribe, response } = input;
  if (scribe.taken || response.statusCode < 200 || response.statusCode >= 300) return;
  const subject = doc.subject({
    params: input.params,
    principal: input.principal,
    response: parsedBody(response),
  });
  await deps.store.recordAudit(scribe.record(subject));
};

const isNoAudit = (audit: AuditDoc | NoAudit): audit is NoAudit => 'none' in audit;

export type { AuditDoc, AuditScribe, AuditSubject, AuditSubjectInput, NoAudit };
export { appendAudit, createAuditScribe, isNoAudit, ownTarget, tenantInPath, tenantInResponse };
