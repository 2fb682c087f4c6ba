import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ControlError, SimulatorControl } from './control.js';
import type { Faults } from './faults.js';
import type { MemoryRequestLog } from './request-log.js';

export const ADMIN_PREFIX = '/_simulator';

export interface AdminDeps {
  control: SimulatorControl;
  faults: Faults;
  log: MemoryRequestLog;
  startTime: number;
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function asObject(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw Object.assign(new Error('body must be a JSON object'), { status: 400 });
  }
  return body as Record<string, unknown>;
}

/**
 * The control surface over HTTP, for tests running in other processes or languages. These
 * requests are never written to the request log.
 */
export function handleAdmin(
  deps: AdminDeps,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  rawBody: string,
): void {
  const { control, faults, log } = deps;
  const method = req.method ?? 'GET';
  const route = path.slice(ADMIN_PREFIX.length) || '/';
  try {
    let body: unknown;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return send(res, 400, { error: 'body is not valid JSON' });
      }
    }
    const complete = /^\/operations\/([^/]+)\/complete$/.exec(route);
    const message = /^\/operations\/([^/]+)\/status-message$/.exec(route);
    switch (
      `${method} ${complete ? '/operations/:id/complete' : message ? '/operations/:id/status-message' : route}`
    ) {
      case 'GET /health':
        return send(res, 200, { status: 'ok', startTime: deps.startTime, requests: log.count() });
      case 'GET /log':
        return send(res, 200, { entries: log.entries() });
      case 'DELETE /log':
        log.clear();
        return send(res, 204);
      case 'GET /faults':
        return send(res, 200, faults.current());
      case 'POST /faults':
        faults.set(asObject(body));
        return send(res, 200, faults.current());
      case 'DELETE /faults':
        faults.reset();
        return send(res, 204);
      case 'POST /next-outcome': {
        const o = asObject(body);
        control.setNextOutcome(o as never);
        return send(res, 204);
      }
      case 'DELETE /next-outcome':
        control.setNextOutcome(null);
        return send(res, 204);
      case 'POST /operations/:id/complete': {
        const o = asObject(body);
        const id = decodeURIComponent(complete?.[1] ?? '');
        control.completeOperation(
          id,
          (o.status as never) ?? 'COMPLETED',
          typeof o.statusMessage === 'string' ? o.statusMessage : undefined,
        );
        return send(
          res,
          200,
          control.operations().find((op) => op.flowOperationId === id),
        );
      }
      case 'POST /operations/:id/status-message': {
        const o = asObject(body);
        const id = decodeURIComponent(message?.[1] ?? '');
        control.setStatusMessage(
          id,
          typeof o.statusMessage === 'string' ? o.statusMessage : undefined,
        );
        return send(res, 204);
      }
      case 'GET /operations':
        return send(res, 200, {
          operations: control.operations(query.get('firewallArn') ?? undefined),
        });
      case 'GET /firewalls':
        return send(res, 200, { firewalls: control.firewalls() });
      case 'POST /reset':
        control.reset();
        return send(res, 204);
      default:
        return send(res, 404, { error: `no simulator control route ${method} ${path}` });
    }
  } catch (error) {
    const status = (error as Partial<ControlError>).status ?? 400;
    return send(res, typeof status === 'number' ? status : 400, {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
