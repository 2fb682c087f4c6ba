import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { listen } from '../net/listen.js';
import { ADMIN_PREFIX, handleAdmin } from './admin.js';
import { createControl } from './control.js';
import type { SimulatorControl } from './control.js';
import {
  AccessDeniedException,
  InternalServerError,
  SerializationException,
  SimulatorError,
  ThrottlingException,
  UnknownOperationException,
} from './errors.js';
import { Faults } from './faults.js';
import type { FaultController } from './faults.js';
import { HANDLERS } from './operations.js';
import { TokenCodec } from './pagination.js';
import {
  DEFAULT_REGION,
  TARGET_PREFIX,
  errorBody,
  newRequestId,
  parseAuthorization,
  parseTarget,
  sendJson,
} from './protocol.js';
import { MemoryRequestLog } from './request-log.js';
import type { RequestLog, RequestLogEntry } from './request-log.js';
import { SimulatorState } from './state.js';
import { StsIdentities } from './sts.js';

export interface SimulatorOptions {
  /** Default 0: a random free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 42; the same seed gives identical demo data. */
  seed?: number;
  /** How long a new flow operation stays IN_PROGRESS; default 3000. */
  operationDelayMs?: number;
  /** Default true; false keeps the firewalls but leaves flow tables and history empty. */
  demoData?: boolean;
  logger?: (line: string) => void;
  /** Epoch-ms clock for flow ages and timestamps; injectable so tests can freeze time. */
  clock?: () => number;
  /** Entries the request log retains (the newest); default 10,000. Counts stay exact beyond it. */
  requestLogLimit?: number;
}

export interface Simulator {
  readonly url: string;
  readonly log: RequestLog;
  readonly faults: FaultController;
  readonly control: SimulatorControl;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Who a refused caller is, in AWS's words: the gateway's role on an EC2 instance, by default. */
function gatewayIdentity(accountId: string | undefined): string {
  return `arn:aws:sts::${accountId ?? '111122223333'}:assumed-role/nfw-flow-gateway/i-0123456789abcdef0`;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function createSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger;
  const state = new SimulatorState({
    seed: options.seed ?? 42,
    demoData: options.demoData ?? true,
    operationDelayMs: options.operationDelayMs ?? 3000,
    clock: options.clock ?? Date.now,
  });
  const log = new MemoryRequestLog(options.requestLogLimit);
  const faults = new Faults();
  const tokens = new TokenCodec();
  const control = createControl(state);
  const sts = new StsIdentities(options.clock ?? Date.now);
  const sockets = new Set<Socket>();
  const delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let closed = false;
  // Arrived and not yet answered, dropped or closed: each request's log entry records it.
  let inFlight = 0;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          delays.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      delays.add(entry);
    });

  function arrive(entry: Omit<RequestLogEntry, 'seq' | 'status' | 'inFlight'>): RequestLogEntry {
    inFlight += 1;
    return log.begin({ ...entry, inFlight });
  }

  /** A hung request stays in flight until its socket goes (the client's timeout, or close()). */
  function hang(res: ServerResponse, entry: RequestLogEntry, started: number) {
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
    finish(entry, started, 0, 'Hung');
  }

  function finish(entry: RequestLogEntry, started: number, status: number, errorType?: string) {
    inFlight -= 1;
    entry.status = status;
    if (errorType !== undefined) entry.errorType = errorType;
    logger?.(
      `${entry.operation || '-'} ${status}${errorType ? ` ${errorType}` : ''} ${Date.now() - started}ms region=${entry.region ?? '-'} id=${entry.requestId}`,
    );
  }

  function answerError(
    res: ServerResponse,
    entry: RequestLogEntry,
    started: number,
    error: SimulatorError,
  ) {
    sendJson(res, error.status, errorBody(error), entry.requestId);
    finish(entry, started, error.status, error.name);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, rawBody: string | undefined) {
    const started = Date.now();
    const requestId = newRequestId();
    const scope = parseAuthorization(req.headers.authorization);
    const target = parseTarget(req.headers['x-amz-target'] as string | undefined);
    let input: Record<string, unknown> = {};
    let bodyError: SimulatorError | undefined;
    if (rawBody === undefined) {
      bodyError = new SerializationException(`Request body exceeds ${MAX_BODY_BYTES} bytes`);
    } else if (rawBody.trim() !== '') {
      try {
        const parsed: unknown = JSON.parse(rawBody);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
          bodyError = new SerializationException('Request body must be a JSON object');
        } else {
          input = parsed as Record<string, unknown>;
        }
      } catch {
        bodyError = new SerializationException('Request body is not valid JSON');
      }
    }
    const entry = arrive({
      time: started,
      operation: target.operation,
      input,
      requestId,
      ...(scope.region === undefined ? {} : { region: scope.region }),
      ...(scope.accessKeyId === undefined ? {} : { accessKeyId: scope.accessKeyId }),
    });

    const fault = faults.decide(target.operation);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (closed) {
      req.socket.destroy();
      return finish(entry, started, 0, 'SimulatorClosed');
    }
    switch (fault.action) {
      case 'drop':
        req.socket.destroy();
        return finish(entry, started, 0, 'Dropped');
      case 'hang':
        // Never answered; close() destroys the socket.
        return hang(res, entry, started);
      case 'throttle':
        return answerError(res, entry, started, new ThrottlingException('Rate exceeded'));
      case 'error':
        return answerError(res, entry, started, new InternalServerError('Internal server error'));
      case 'deny':
        // AWS's own wording, which names the caller's role, account and instance.
        return answerError(
          res,
          entry,
          started,
          new AccessDeniedException(
            `User: ${gatewayIdentity(sts.accountOf(scope.accessKeyId))} is not authorized to perform: network-firewall:${target.operation} because no identity-based policy allows the network-firewall:${target.operation} action`,
          ),
        );
      default:
        break;
    }

    if (req.method !== 'POST' || !target.known) {
      const what = target.operation === '' ? 'missing X-Amz-Target header' : target.operation;
      return answerError(
        res,
        entry,
        started,
        new UnknownOperationException(
          req.method !== 'POST'
            ? `${req.method ?? ''} is not supported; send POST with X-Amz-Target: ${TARGET_PREFIX}<Operation>`
            : `Unknown operation: ${what}`,
        ),
      );
    }
    if (bodyError) return answerError(res, entry, started, bodyError);
    // Keys from the fake STS act for one account only, as an assumed role's would under IAM.
    const callerAccount = sts.accountOf(scope.accessKeyId);
    if (sts.isAssumedKey(scope.accessKeyId) && callerAccount === undefined) {
      return answerError(
        res,
        entry,
        started,
        new AccessDeniedException('The security token included in the request is expired'),
      );
    }
    const arnAccount = /^arn:[^:]+:network-firewall:[^:]*:(\d{12}):/.exec(
      typeof input.FirewallArn === 'string' ? input.FirewallArn : '',
    )?.[1];
    if (callerAccount !== undefined && arnAccount !== undefined && arnAccount !== callerAccount) {
      return answerError(
        res,
        entry,
        started,
        new AccessDeniedException(
          `User arn:aws:sts::${callerAccount}:assumed-role is not authorized to perform network-firewall:${target.operation} on resource ${String(input.FirewallArn)}`,
        ),
      );
    }
    let output: Record<string, unknown>;
    try {
      output = HANDLERS[target.operation](input, {
        state,
        tokens,
        region: scope.region ?? DEFAULT_REGION,
        ...(callerAccount === undefined ? {} : { accountId: callerAccount }),
      });
    } catch (error) {
      if (error instanceof SimulatorError) return answerError(res, entry, started, error);
      logger?.(`internal error in ${target.operation}: ${(error as Error).stack ?? String(error)}`);
      return answerError(res, entry, started, new InternalServerError('Internal server error'));
    }
    // From here the request has taken effect (a start has created its operation), answered or not.
    if (fault.answerDelayMs > 0) await sleep(fault.answerDelayMs);
    if (closed || fault.action === 'dropAnswer') {
      req.socket.destroy();
      return finish(entry, started, 0, closed ? 'SimulatorClosed' : 'AnswerDropped');
    }
    sendJson(res, 200, output, requestId);
    finish(entry, started, 200);
  }

  async function handleSts(req: IncomingMessage, res: ServerResponse, rawBody: string) {
    const started = Date.now();
    const scope = parseAuthorization(req.headers.authorization);
    const form = new URLSearchParams(rawBody);
    const action = form.get('Action') ?? '';
    const entry = arrive({
      time: started,
      operation: action || 'STS',
      input: Object.fromEntries(form.entries()),
      requestId: newRequestId(),
      ...(scope.region === undefined ? {} : { region: scope.region }),
      ...(scope.accessKeyId === undefined ? {} : { accessKeyId: scope.accessKeyId }),
    });
    const fault = faults.decide(action, true);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (closed || fault.action === 'drop') {
      req.socket.destroy();
      return finish(entry, started, 0, closed ? 'SimulatorClosed' : 'Dropped');
    }
    if (fault.action === 'hang') return hang(res, entry, started);
    const answer =
      fault.action === 'deny'
        ? sts.refuse(
            form,
            403,
            'AccessDenied',
            `User: ${gatewayIdentity(undefined)} is not authorized to perform: sts:AssumeRole on resource: ${form.get('RoleArn') ?? ''}`,
          )
        : fault.action === 'throttle'
          ? sts.refuse(form, 400, 'Throttling', 'Rate exceeded')
          : fault.action === 'error'
            ? sts.refuse(form, 500, 'InternalFailure', 'An internal error occurred')
            : sts.handle(form);
    res.writeHead(answer.status, {
      'content-type': 'text/xml',
      'x-amzn-requestid': entry.requestId,
    });
    res.end(answer.body);
    finish(entry, started, answer.status, answer.errorType);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator.invalid');
    readBody(req)
      .catch((error: unknown) => {
        if (error instanceof BodyTooLarge) return undefined;
        throw error;
      })
      .then((rawBody) => {
        if (url.pathname === ADMIN_PREFIX || url.pathname.startsWith(`${ADMIN_PREFIX}/`)) {
          return handleAdmin(
            { control, faults, log, startTime: state.startTime },
            req,
            res,
            url.pathname,
            url.searchParams,
            rawBody ?? '',
          );
        }
        if (
          String(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')
        ) {
          return handleSts(req, res, rawBody ?? '');
        }
        return handleApi(req, res, rawBody);
      })
      .catch((error: unknown) => {
        logger?.(`request failed: ${(error as Error).stack ?? String(error)}`);
        if (!res.headersSent && !res.destroyed) {
          sendJson(
            res,
            500,
            errorBody(new InternalServerError('Internal server error')),
            newRequestId(),
          );
        }
      });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  // Both ways a user starts it (`npm run simulator`, the gateway's built-in backend) read these.
  await listen(server, {
    port: options.port ?? 0,
    host,
    portSetting: 'SIMULATOR_PORT',
    hostSetting: 'SIMULATOR_HOST',
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    log,
    faults,
    control,
    close() {
      closing ??= new Promise<void>((resolve) => {
        closed = true;
        state.close();
        for (const d of delays) {
          clearTimeout(d.timer);
          d.resolve();
        }
        delays.clear();
        server.close(() => resolve());
        // Hung and keep-alive sockets would otherwise hold close() open forever.
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
