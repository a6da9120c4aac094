import type { ApiApp } from '../../../shared/app/api-app.js';
import { jsonResponse } from '../../../shared/http/fc-http-event.js';
import type { Route } from '../../../shared/http/router.js';

const healthRoutes: Route<ApiApp>[] = [
  {
    method: 'GET',
    path: '/healthz',
    handler: async () => jsonResponse(200, { status: 'ok' }),
  },
];

export { healthRoutes };
