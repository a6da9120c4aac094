import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { type ApiRoute, definePublicEndpoint } from '../../../shared/http/endpoint.js';
import { NO_QUERY } from '../../../shared/http/query.js';

const INFO = {
  title: 'ask-provisioner',
  version: '1.0.0',
  description:
    'On-demand ACK Serverless (ASK) clusters. Errors are application/problem+json with a ' +
    'stable `type` per code; every response carries x-request-id. See docs/api.md.',
};

const openApiDocumentSchema = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .describe('an OpenAPI 3.1 document');

/**
 * `GET /openapi.json`, built from `routes` (which include this one) the first time it is asked
 * for and kept: the document describes exactly what the router serves. The builder and the
 * webhook events' schemas are loaded then, not at start-up (a chunk of their own; a test of the
 * bundles checks it).
 */
const openApiRoute = (routes: () => readonly ApiRoute<ApiApp>[]): ApiRoute<ApiApp> => {
  let document: string | undefined;
  return definePublicEndpoint<ApiApp, typeof NO_QUERY>({
    method: 'GET',
    path: '/openapi.json',
    doc: {
      operationId: 'getOpenApiDocument',
      summary: 'This API, as OpenAPI 3.1',
      description: 'Generated from the routes and their schemas. Needs no API key.',
      tag: 'service',
      scope: null,
      query: NO_QUERY,
      responses: {
        200: {
          description: 'the document',
          schema: openApiDocumentSchema,
          name: 'OpenApiDocument',
        },
      },
      errors: [],
    },
    handle: async () => {
      if (document === undefined) {
        const { buildOpenApiDocument } = await import('../../../shared/http/openapi.js');
        document = JSON.stringify(buildOpenApiDocument(routes(), INFO));
      }
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: document,
        isBase64Encoded: false,
      };
    },
  });
};

export { openApiRoute };
