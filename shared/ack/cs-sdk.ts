import * as cs from '@alicloud/cs20151215';

/**
 * The SDK is CommonJS with `exports.default = Client`. Node's ESM loader (and esbuild's Node-mode
 * interop) hand us `module.exports` as the default export, so the class sits at `.default.default`;
 * Vitest's interop unwraps it to `.default`. Accept both, so tests and production run the same code.
 */

type CsClientClass = typeof cs.default.default;
type CsClient = InstanceType<CsClientClass>;

const resolveClientClass = (): CsClientClass => {
  const candidate: unknown = cs.default;
  return typeof candidate === 'function' ? (candidate as CsClientClass) : cs.default.default;
};

export type { CsClient, CsClientClass };
export { cs, resolveClientClass };
