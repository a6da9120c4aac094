import type { ApiApp } from '../../../shared/app/api-app.js';
import { changeAcceptedSchema, changeAcceptedView } from '../../../shared/changes/change-view.js';
import { requestChange } from '../../../shared/changes/request-change.js';
import { type HttpResponse, jsonResponse } from '../../../shared/http/fc-http-event.js';

/**
 * What every route that starts a cluster change shares: its 202 in the OpenAPI document, and the
 * answer itself (start the change, or find the same one already open, and show it with the cluster).
 */
const changeAcceptedResponse = (description: string) =>
  ({ description, schema: changeAcceptedSchema, name: 'ChangeAccepted' }) as const;

const acceptChange = async (
  app: ApiApp,
  input: Parameters<typeof requestChange>[1],
): Promise<HttpResponse> => {
  const started = await requestChange(app, input);
  return jsonResponse(202, changeAcceptedView(started.provision, started.change));
};

export { acceptChange, changeAcceptedResponse };
