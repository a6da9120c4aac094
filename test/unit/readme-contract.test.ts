import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes/index.js';
import { createClusterBodySchema } from '../../shared/domain/cluster-template.js';
import { clusterViewSchema } from '../../shared/provisioning/provision-view.js';

/**
 * The README's API tables stay in step with the code: its route table lists exactly the
 * operations of the route table the router serves, its create-body table exactly the fields of
 * the create request's schema, and its cluster-resource table exactly the fields of the cluster
 * view the API answers with.
 */
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The first cell of every table row under `heading`, up to the next heading. */
const firstCells = (heading: string): string[] => {
  const start = readme.indexOf(heading);
  expect(start, heading).toBeGreaterThan(-1);
  const rest = readme.slice(start + heading.length);
  const end = rest.search(/\n#{1,3} /);
  const section = end === -1 ? rest : rest.slice(0, end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\|\s*-/.test(line))
    .map((line) => line.split('|')[1]?.trim() ?? '');
};

/** The first cell of every row of the first table after `intro` (that table alone). */
const tableAfter = (intro: string): string[] => {
  const start = readme.indexOf(intro);
  expect(start, intro).toBeGreaterThan(-1);
  const lines = readme.slice(start + intro.length).split('\n');
  const first = lines.findIndex((line) => line.startsWith('| '));
  const rest = lines.slice(first);
  const end = rest.findIndex((line) => !line.startsWith('|'));
  return (end === -1 ? rest : rest.slice(0, end))
    .filter((line) => !/^\|\s*-/.test(line))
    .map((line) => line.split('|')[1]?.trim() ?? '');
};

describe('the README', () => {
  it('lists exactly the routes the API serves', () => {
    const documented = firstCells('## The API (v1)')
      .flatMap((cell) => [...cell.matchAll(/`(GET|POST|PUT|PATCH|DELETE) ([^`\s]+)`/g)])
      .map((match) => `${match[1]} ${match[2]}`);
    expect(new Set(documented).size, 'a route listed twice').toBe(documented.length);
    const served = apiRoutes.map((route) => `${route.method} ${route.path}`);
    expect([...documented].sort()).toEqual([...served].sort());
  });

  it('lists exactly the fields of the create request', () => {
    const cells = tableAfter('The create body');
    const fields = cells
      .map((cell) => /^`(\w+)`$/.exec(cell)?.[1])
      .filter((field): field is string => field !== undefined);
    expect(fields.length).toBeGreaterThan(5);
    expect([...fields].sort()).toEqual(Object.keys(createClusterBodySchema.shape).sort());
  });

  it('lists exactly the fields of the cluster resource', () => {
    const cells = tableAfter('The cluster resource');
    const fields = cells
      .map((cell) => /^`(\w+)`$/.exec(cell)?.[1])
      .filter((field): field is string => field !== undefined);
    expect(fields.length).toBeGreaterThan(10);
    expect([...fields].sort()).toEqual(Object.keys(clusterViewSchema.shape).sort());
  });
});
