import { bundleAll, FUNCTIONS } from '../scripts/bundle.js';
import { benchColdStart } from './cold-start.js';
import { benchFirstRequest } from './first-request.js';
import { benchRefresh } from './refresh.js';

/** `npm run bench`: every figure is a ratio against a baseline measured in this same run. */
await bundleAll('dist');
const lines = [
  ...benchColdStart(FUNCTIONS),
  '',
  ...(await benchFirstRequest()),
  '',
  ...(await benchRefresh(300)),
];
process.stdout.write(`${lines.join('\n')}\n`);
