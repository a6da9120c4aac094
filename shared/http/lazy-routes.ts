import { DomainError } from '../domain/errors.js';
import { lazy } from '../lazy.js';
import type { Route } from './router.js';

/** `METHOD /path`, exactly as the route declares them. */
type RouteName = `${string} /${string}`;

/**
 * A module of routes, loaded on the first request to one of them. `routes` names what it serves,
 * so that the router can match a request without evaluating any route module.
 */
interface RouteModule<TContext> {
  routes: readonly RouteName[];
  load: () => Promise<readonly Route<TContext>[]>;
}

const nameOf = (route: { method: string; path: string }): RouteName =>
  `${route.method} ${route.path}` as RouteName;

/**
 * Routes that stand in for their modules' until a request reaches one: the router matches on the
 * names alone, and the module (with its schemas and what it imports) is loaded, once, by the first
 * request it serves. A cold start then evaluates only the module of the route it answers
 * (docs/performance.md); a failed load is tried again by the next request.
 */
const lazyRoutes = <TContext>(modules: readonly RouteModule<TContext>[]): Route<TContext>[] =>
  modules.flatMap(({ routes, load }) => {
    const loaded = lazy(load);
    return routes.map((name): Route<TContext> => {
      const space = name.indexOf(' ');
      const method = name.slice(0, space);
      const path = name.slice(space + 1);
      // Found once; a warm request calls it straight away, without awaiting the module again.
      let found: Route<TContext>['handler'] | undefined;
      return {
        method,
        path,
        handler: async (request, params, context) => {
          if (found === undefined) {
            const route = (await loaded()).find((candidate) => nameOf(candidate) === name);
            // The route table and the modules disagree: a build defect, which a test guards.
            if (!route)
              throw new DomainError(
                'INTERNAL',
                `${name} is not in the module that should serve it`,
              );
            found = route.handler;
          }
          return found(request, params, context);
        },
      };
    });
  });

export type { RouteModule, RouteName };
export { lazyRoutes, nameOf };
