import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultValidationError, parseFaultList } from './fault-schema.js';
import type { FaultSet } from './faults.js';

/**
 * The emulator's control endpoint, for tests and demos that run the emulator out of process:
 *
 *   GET    /_emulator/faults        → 200 {faults: [...]}          the active faults
 *   POST   /_emulator/faults        → 201 {faults: [...]}          add one fault object or an array
 *   DELETE /_emulator/faults        → 200 {cleared: n}             remove them all
 *   DELETE /_emulator/faults/{id}   → 200 {removed: id} | 404
 *
 * Plain JSON, not signed like ACK calls: it is no part of ACK. In exchange it answers loopback
 * clients only (403 otherwise), so an emulator listening on every interface cannot be disturbed
 * from elsewhere. Errors are `{code, message, field?}`; a bad fault names its field.
 */

const CONTROL_PREFIX = '/_emulator/';
const MAX_CONTROL_BODY = 64 * 1024;

/** 127.0.0.0/8, ::1 and their IPv4-mapped IPv6 forms. */
const isLoopbackAddress = (address: string | undefined): boolean => {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
};

const reply = (res: ServerResponse, status: number, body: unknown): void => {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
};

const readJson = async (req: IncomingMessage): Promise<unknown> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_CONTROL_BODY) throw new FaultValidationError('body', 'is too large');
    chunks.push(buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new FaultValidationError('body', 'must be JSON: a fault object or an array of them');
  }
};

const handleFaults = async (
  req: IncomingMessage,
  res: ServerResponse,
  faults: FaultSet,
  id: string | undefined,
): Promise<void> => {
  const method = req.method ?? 'GET';
  if (id !== undefined) {
    if (method !== 'DELETE') return reply(res, 405, { code: 'MethodNotAllowed', message: method });
    return faults.remove(id)
      ? reply(res, 200, { removed: id })
      : reply(res, 404, { code: 'FaultNotFound', message: `No active fault ${id}.` });
  }
  if (method === 'GET') return reply(res, 200, { faults: faults.list() });
  if (method === 'DELETE') return reply(res, 200, { cleared: faults.clear() });
  if (method !== 'POST') return reply(res, 405, { code: 'MethodNotAllowed', message: method });
  try {
    // Validate the whole list before activating any of it.
    const parsed = parseFaultList(await readJson(req), 'fault');
    return reply(res, 201, { faults: parsed.map((fault) => faults.add(fault)) });
  } catch (error) {
    if (!(error instanceof FaultValidationError)) throw error;
    return reply(res, 400, { code: 'InvalidFault', message: error.message, field: error.field });
  }
};

/** Serves `/_emulator/*`; returns false for any other path (an ACK request). */
const handleControl = async (
  req: IncomingMessage,
  res: ServerResponse,
  faults: FaultSet,
): Promise<boolean> => {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (!path.startsWith(CONTROL_PREFIX)) return false;
  if (!isLoopbackAddress(req.socket.remoteAddress)) {
    reply(res, 403, {
      code: 'Forbidden',
      message: 'The emulator control endpoint answers loopback clients only.',
    });
    return true;
  }
  const match = /^\/_emulator\/faults(?:\/([^/]+))?$/.exec(path);
  if (match === null) {
    reply(res, 404, { code: 'NotFound', message: `No control endpoint ${path}.` });
    return true;
  }
  await handleFaults(req, res, faults, match[1]);
  return true;
};

export { handleControl, isLoopbackAddress };
