import { ackErrors } from '../ack/errors.js';

/**
 * The parameters of an RPC-style call (VPC API 2016-04-28) as @alicloud/vpc20160428 7.3.2 sends
 * them: PascalCase names in the query string of `POST /` (client.js `describeVpcsWithOptions`,
 * `describeVSwitchesWithOptions`), the action and version in the signed `x-acs-action` and
 * `x-acs-version` headers.
 */

const requireRegionId = (query: Record<string, string>): string => {
  const regionId = query.RegionId ?? '';
  // `Missing{ParameterName}` is Alibaba's common error for a missing required parameter.
  if (regionId === '') throw ackErrors.missingParameter('RegionId');
  return regionId;
};

/** PageNumber (default 1) and PageSize (1–50, default 10; VPC API reference). */
const pageOf = (query: Record<string, string>): { pageNumber: number; pageSize: number } => {
  const number = query.PageNumber === undefined ? 1 : Number(query.PageNumber);
  const size = query.PageSize === undefined ? 10 : Number(query.PageSize);
  if (!Number.isInteger(number) || number < 1) {
    throw ackErrors.invalidParameter('The specified PageNumber is invalid.');
  }
  if (!Number.isInteger(size) || size < 1 || size > 50) {
    throw ackErrors.invalidParameter('The specified PageSize is invalid; valid values: 1 to 50.');
  }
  return { pageNumber: number, pageSize: size };
};

const pageSlice = <T>(items: readonly T[], page: { pageNumber: number; pageSize: number }): T[] =>
  items.slice((page.pageNumber - 1) * page.pageSize, page.pageNumber * page.pageSize);

export { pageOf, pageSlice, requireRegionId };
