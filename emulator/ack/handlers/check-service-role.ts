import { ackErrors } from '../errors.js';
import { isRecord } from '../validators.js';
import type { AckHandler } from './handler.js';

/**
 * CheckServiceRole `POST /ram/check-service-role`, body `{roles: [{name}]}` →
 * `{roles: [{name, granted, message}]}`, in the order asked. A role the emulated account has not
 * authorised (option `grantedRoles`) says "The role does not exist: <name>" (the SDK's example);
 * a granted one has an empty message (UNVERIFIED).
 */
const checkServiceRole: AckHandler = (request, context) => {
  const body = request.body;
  const roles = isRecord(body) ? body.roles : undefined;
  if (!Array.isArray(roles) || roles.length === 0) {
    throw ackErrors.invalidParameter('roles must be a non-empty array of {name}.');
  }
  const names = roles.map((role) => {
    const name = isRecord(role) ? role.name : undefined;
    if (typeof name !== 'string' || name === '') {
      throw ackErrors.invalidParameter('Each role needs a non-empty name.');
    }
    return name;
  });
  return {
    status: 200,
    body: {
      roles: names.map((name) => {
        const granted = context.grantedRoles.has(name);
        return { name, granted, message: granted ? '' : `The role does not exist: ${name}` };
      }),
    },
  };
};

export { checkServiceRole };
