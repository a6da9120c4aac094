import * as vpc from '@alicloud/vpc20160428';

/** CommonJS with `exports.default = Client`: the same interop as shared/ack/cs-sdk.ts. */
type VpcClientClass = typeof vpc.default.default;
type VpcClient = InstanceType<VpcClientClass>;

const resolveVpcClientClass = (): VpcClientClass => {
  const candidate: unknown = vpc.default;
  return typeof candidate === 'function' ? (candidate as VpcClientClass) : vpc.default.default;
};

export type { VpcClient, VpcClientClass };
export { resolveVpcClientClass, vpc };
