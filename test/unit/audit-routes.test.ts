import { describe, expect, it } from 'vitest';
import { apiRoutes } from '../../functions/api/routes/index.js';
import { AUDIT_ACTIONS } from '../../shared/domain/audit.js';

/**
 * Every mutation leaves an audit record: the endpoint wrapper (shared/http/endpoint.ts) writes the
 * declared action after every 2xx, so what must hold is that every route that can change
 * something declares one. A new POST/PUT/PATCH/DELETE without `audit` fails here, and a non-GET
 * that changes nothing must say why in the route itself.
 */
const DRY_RUNS = ['POST /v1/clusters:preflight'];
/** GETs that still leave a trace: a kubeconfig is a credential handed out. */
const AUDITED_GETS = ['GET /v1/clusters/{id}/kubeconfig'];

const name = (route: { method: string; path: string }): string => `${route.method} ${route.path}`;

describe('the audit trail covers the route table', () => {
  const mutating = apiRoutes.filter((route) => route.method !== 'GET' && route.doc.scope !== null);

  it('has an action for every authenticated route that is not a GET', () => {
    const missing = mutating.filter((route) => route.audit === undefined).map(name);
    expect(missing).toEqual([]);
  });

  it('lets only the known dry runs declare that they change nothing', () => {
    const none = apiRoutes
      .filter((route) => route.audit !== undefined && 'none' in route.audit)
      .map(name);
    expect(none.sort()).toEqual([...DRY_RUNS].sort());
  });

  it('audits the kubeconfig GET', () => {
    for (const route of apiRoutes.filter((candidate) => AUDITED_GETS.includes(name(candidate)))) {
      expect(route.audit && 'action' in route.audit ? route.audit.action : undefined).toBe(
        'kubeconfig.issue',
      );
    }
    expect(apiRoutes.filter((route) => AUDITED_GETS.includes(name(route)))).toHaveLength(1);
  });

  it('uses every action it knows, each for one route', () => {
    const actions = apiRoutes.flatMap((route) =>
      route.audit && 'action' in route.audit ? [route.audit.action] : [],
    );
    expect(new Set(actions).size, 'an action used by two routes').toBe(actions.length);
    expect([...actions].sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it('has no public route that is not a GET', () => {
    const publicWrites = apiRoutes.filter(
      (route) => route.method !== 'GET' && route.doc.scope === null,
    );
    expect(publicWrites.map(name)).toEqual([]);
  });
});
