#!/usr/bin/env node
// `askp` (package.json "bin"; `npx askp …` from a checkout). Runs the TypeScript sources through
// tsx's loader, so a fresh clone needs `npm install` and no build step.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
