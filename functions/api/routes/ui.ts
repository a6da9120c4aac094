import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import type { ApiApp } from '../../../shared/app/api-app.js';
import { DomainError } from '../../../shared/domain/errors.js';
import { type ApiRoute, definePublicEndpoint } from '../../../shared/http/endpoint.js';
import type { HttpResponse } from '../../../shared/http/fc-http-event.js';
import { NO_QUERY } from '../../../shared/http/query.js';

/**
 * The web console's static files, read from disk on first request and kept: nothing of the
 * console is loaded when the API starts. Only the three files the build writes are served (no
 * path from the request reaches the file system). The policy allows this origin's script, style
 * and API only: no inline script or style, no framing, nothing from elsewhere.
 */
const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const defaultUiDir = (): string => join(dirname(fileURLToPath(import.meta.url)), 'ui');

const cache = new Map<string, string>();

const serve = async (app: ApiApp, file: string): Promise<HttpResponse> => {
  const type = FILES[file];
  if (type === undefined) throw new DomainError('NOT_FOUND', `no console file ${file}`);
  let body = cache.get(file);
  if (body === undefined) {
    try {
      body = await readFile(join(app.config.uiDir ?? defaultUiDir(), file), 'utf8');
    } catch {
      throw new DomainError('NOT_FOUND', 'the web console is not built into this deployment');
    }
    cache.set(file, body);
  }
  return {
    statusCode: 200,
    headers: {
      'content-type': type,
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file === 'index.html' ? 'no-cache' : 'max-age=300',
    },
    body,
    isBase64Encoded: false,
  };
};

const text = (name: string) => ({ schema: z.string(), name, description: 'the file' });

const uiRoutes: ApiRoute<ApiApp>[] = [
  definePublicEndpoint<ApiApp, typeof NO_QUERY>({
    method: 'GET',
    path: '/ui',
    doc: {
      operationId: 'getConsole',
      summary: 'The web console',
      description:
        'A page that signs in with an API key (kept in the browser session) and drives this API. ' +
        'Needs no key to load.',
      tag: 'service',
      scope: null,
      query: NO_QUERY,
      responses: { 200: { ...text('ConsolePage'), mediaType: 'text/html' } },
      errors: ['NOT_FOUND'],
    },
    handle: ({ app }) => serve(app, 'index.html'),
  }),
  definePublicEndpoint<ApiApp, typeof NO_QUERY>({
    method: 'GET',
    path: '/ui/{file}',
    doc: {
      operationId: 'getConsoleFile',
      summary: "The web console's script and style",
      description: '`app.js`, `app.css` (and `index.html`). Needs no key.',
      tag: 'service',
      scope: null,
      query: NO_QUERY,
      responses: { 200: { ...text('ConsoleFile'), mediaType: 'text/plain' } },
      errors: ['NOT_FOUND'],
    },
    handle: ({ app, params }) => serve(app, params.file ?? ''),
  }),
];

export { CONTENT_SECURITY_POLICY, uiRoutes };
