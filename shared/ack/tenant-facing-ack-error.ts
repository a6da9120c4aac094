import type { AckError } from './ack-error.js';

/**
 * What a tenant is told when ACK refused or failed: our words, naming our field, never ACK's own
 * message. ACK's text can say whether a VPC, vSwitch or quota exists in the operator's account (an
 * existence oracle) and names the account's resources; it goes to the logs, which are the
 * operator's. ACK's request id is kept: it is what the operator quotes to Alibaba support.
 */

interface TenantFacingReason {
  message: string;
  /** The request field the failure is about, when ACK's code names one. */
  field?: string;
}

/** ACK codes that name a part of the request, most specific first (matched case-insensitively). */
const FIELD_RULES: readonly { pattern: RegExp; field: string; message: string }[] = [
  {
    pattern: /vswitch|vsw/i,
    field: 'network.vswitchIds',
    message: 'a vSwitch in network.vswitchIds cannot be used for this cluster',
  },
  {
    pattern: /vpc/i,
    field: 'network.vpcId',
    message: 'the VPC in network.vpcId cannot be used for this cluster',
  },
  { pattern: /zone/i, field: 'zoneId', message: 'the zone cannot be used for this cluster' },
  {
    pattern: /cidr/i,
    field: 'serviceCidr',
    message: 'serviceCidr cannot be used with this network',
  },
  {
    pattern: /version/i,
    field: 'kubernetesVersion',
    message: 'kubernetesVersion cannot be used for this cluster',
  },
  { pattern: /addon/i, field: 'addons', message: 'an addon in addons cannot be installed' },
  // A whole word or a code part (`tags`, `InvalidTag.Key`), not the "tag" inside "stage".
  {
    pattern: /\btags?\b|invalidtag|tag(key|value|resource)/i,
    field: 'labels',
    message: 'a label in labels cannot be applied',
  },
];

const BY_CODE: Readonly<Record<string, string>> = {
  ACK_THROTTLED: 'ACK is throttling the service; retry later',
  ACK_UNAVAILABLE: 'ACK is unavailable; retry later',
  ACK_NETWORK: 'ACK could not be reached; retry later',
  ACK_TIMEOUT: 'ACK did not answer in time; retry later',
  ACK_QUOTA_EXCEEDED:
    "a quota of the service's cloud account is used up; the operator can raise it",
  ACK_PERMISSION_DENIED:
    'the service is not allowed to do this in its cloud account; the operator must grant it',
  ACK_AUTH_FAILED: "the service's cloud credentials were refused; the operator must fix them",
  ACK_CONFLICT: "the cluster's state in ACK does not allow this now",
  ACK_NOT_FOUND: 'ACK does not know the cluster',
  ACK_INVALID_REQUEST: 'ACK refused the request',
};

const withRequestId = (text: string, requestId: string | undefined): string =>
  requestId === undefined ? text : `${text} (ACK request id ${requestId})`;

/**
 * The reason for an ACK failure as a tenant may read it. `ackCode` is ACK's own code (e.g.
 * `InvalidParameter`) and `ackText` its message: only which field they name is used.
 */
const tenantFacingReason = (input: {
  code: string;
  ackCode?: string | undefined;
  /** ACK's message: read to choose the field, never shown. */
  ackText?: string | undefined;
  action?: string | undefined;
  requestId?: string | undefined;
  /** What to say when neither the code nor ACK's code is one we know. */
  otherwise?: string;
}): TenantFacingReason => {
  // Only a refusal of the request's content names a field: a permission or quota code that
  // mentions an addon (ErrManagedAddonRoleNotAttach) is about the account, not the request.
  const aboutTheRequest = !(input.code in BY_CODE) || input.code === 'ACK_INVALID_REQUEST';
  // ACK's code and text choose the field (ACK often says only InvalidParameter in the code);
  // neither is repeated.
  const ackText = `${input.ackCode ?? ''} ${input.ackText ?? ''}`;
  const rule = aboutTheRequest
    ? FIELD_RULES.find((candidate) => candidate.pattern.test(ackText))
    : undefined;
  const what = rule?.message ?? BY_CODE[input.code] ?? input.otherwise ?? 'ACK refused the request';
  const text = input.action === undefined ? what : `ACK ${input.action} failed: ${what}`;
  return {
    message: withRequestId(text, input.requestId),
    ...(rule ? { field: rule.field } : {}),
  };
};

const tenantFacingAckError = (error: AckError): TenantFacingReason =>
  tenantFacingReason({
    code: error.code,
    ackCode: error.ackCode,
    ackText: error.message,
    action: error.action,
    requestId: error.requestId,
  });

export type { TenantFacingReason };
export { tenantFacingAckError, tenantFacingReason };
