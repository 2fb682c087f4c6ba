import { createClient } from 'graphql-ws';
import type { Client } from 'graphql-ws';
import WebSocket from 'ws';
import { backoffDelay, sleep } from './backoff.js';
import { formatStatusChange, isFinalStatus } from './format.js';
import type { FlowOperationEvent } from './format.js';
import { consoleLogger, describeError } from './log.js';
import type { Logger } from './log.js';
import { createWebhookPoster } from './webhook.js';
import type { WebhookPosterOptions } from './webhook.js';

export interface BotOptions {
  /** The gateway's websocket URL, e.g. `ws://localhost:4000/graphql`. */
  gatewayUrl: string;
  /** The Slack-compatible incoming webhook to post to. */
  webhookUrl: string;
  firewallArn: string;
  availabilityZone?: string;
  /** Watch this one operation until its final status, instead of the whole zone. */
  flowOperationId?: string;
  /** Sent as `{"authorization": "Bearer <token>"}` in the `connection_init` payload. */
  gatewayToken?: string;
  logger?: Logger;
  reconnect?: {
    /** First delay before reconnecting or resubscribing; doubles per attempt, with jitter. */
    baseDelayMs?: number;
    maxDelayMs?: number;
    /** Reconnect attempts in a row before giving up; unlimited by default. */
    attempts?: number;
  };
  /** Client pings this often; no pong within half of it drops the socket and reconnects. */
  keepAliveMs?: number;
  webhook?: Omit<WebhookPosterOptions, 'url' | 'logger'>;
  /** How long `stop()` lets queued webhook posts finish. */
  drainTimeoutMs?: number;
  /** Another WebSocket implementation; the `ws` package by default. */
  webSocketImpl?: unknown;
}

export type BotOutcome =
  /** `stop()` was called. */
  | { reason: 'stopped' }
  /** One-operation mode: the final status was reported. */
  | { reason: 'finished' }
  /** Retrying cannot help: invalid arguments, unknown operation, refused credentials. */
  | { reason: 'failed'; error: string };

export interface Bot {
  /** Settles once the bot has ended and its queued posts are delivered or dropped; never rejects. */
  readonly done: Promise<BotOutcome>;
  stop(): Promise<void>;
}

const FIELDS = `firewallArn availabilityZone vpcEndpointId vpcEndpointAssociationArn
    flowOperationId flowOperationType flowOperationStatus statusMessage`;

const ZONE_SUBSCRIPTION = `subscription ChatBotZone($arn: String!, $az: String) {
  flowOperationEvents(firewallArn: $arn, availabilityZone: $az) {
    ${FIELDS}
  }
}`;

const OPERATION_SUBSCRIPTION = `subscription ChatBotOperation($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) {
    ${FIELDS}
  }
}`;

/** Error codes that the same subscription would get again however often it retried. */
const PERMANENT_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
]);

/**
 * Close codes after which reconnecting with the same settings cannot help: bad request,
 * unauthorized, forbidden (the token is read once at start), bad response, wrong subprotocol,
 * duplicate id. graphql-ws already refuses to retry most of them; 4403 it would retry.
 */
const PERMANENT_CLOSE_CODES = new Set([4400, 4401, 4403, 4004, 4406, 4409]);

function closeCodeOf(error: unknown): number | undefined {
  if (error && typeof error === 'object' && 'code' in error) {
    const { code } = error;
    return typeof code === 'number' ? code : undefined;
  }
  return undefined;
}

function graphQLErrorCodes(error: unknown): string[] | undefined {
  if (!Array.isArray(error)) return undefined;
  return error.map((e: { extensions?: { code?: unknown } }) =>
    typeof e?.extensions?.code === 'string' ? e.extensions.code : '',
  );
}

function checkUrl(name: string, value: string, protocols: string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL: ${value}`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new Error(`${name} must be a ${protocols.join(' or ')} URL: ${value}`);
  }
}

/**
 * Watches a firewall zone (or one operation) and posts each status change to the webhook, in
 * order. Throws at once on invalid options; everything after that is retried or logged.
 */
export function startBot(options: BotOptions): Bot {
  checkUrl('gatewayUrl', options.gatewayUrl, ['ws:', 'wss:']);
  checkUrl('webhookUrl', options.webhookUrl, ['http:', 'https:']);
  if (!options.firewallArn) throw new Error('firewallArn is required');

  const logger = options.logger ?? consoleLogger;
  const baseDelayMs = options.reconnect?.baseDelayMs ?? 500;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? 30_000;
  const retryAttempts = options.reconnect?.attempts ?? Infinity;
  const keepAliveMs = options.keepAliveMs ?? 20_000;
  const operationMode = options.flowOperationId !== undefined;
  const field = operationMode ? 'flowOperationStatusChanged' : 'flowOperationEvents';
  const payload = {
    query: operationMode ? OPERATION_SUBSCRIPTION : ZONE_SUBSCRIPTION,
    variables: {
      arn: options.firewallArn,
      az: options.availabilityZone ?? null,
      ...(operationMode ? { id: options.flowOperationId } : {}),
    },
  };

  const poster = createWebhookPoster({ ...options.webhook, url: options.webhookUrl, logger });
  // Aborted when the bot ends: wakes every backoff wait, ours and the graphql-ws client's.
  const ending = new AbortController();
  let resolveDone!: (outcome: BotOutcome) => void;
  const done = new Promise<BotOutcome>((resolve) => (resolveDone = resolve));
  let finishing: Promise<void> | undefined;
  let unsubscribe: (() => void) | undefined;
  let failuresInARow = 0;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  // The operation subscription pushes the current state again after every reconnect; that must
  // not be posted twice. (The zone subscription pushes changes only, and never replays.)
  let lastOperationState: string | undefined;

  const client: Client = createClient({
    url: options.gatewayUrl,
    webSocketImpl: options.webSocketImpl ?? WebSocket,
    lazy: true,
    retryAttempts,
    retryWait: async (retries) => {
      const delay = Math.round(backoffDelay(retries, baseDelayMs, maxDelayMs));
      logger.info('reconnecting to the gateway', { attempt: retries + 1, inMs: delay });
      await sleep(delay, ending.signal);
    },
    // graphql-ws retries only close events by default; a refused connection while the gateway
    // restarts arrives as an error event, and must be retried too.
    shouldRetry: (error) => !PERMANENT_CLOSE_CODES.has(closeCodeOf(error) ?? 0),
    connectionParams: options.gatewayToken
      ? { authorization: `Bearer ${options.gatewayToken}` }
      : undefined,
    connectionAckWaitTimeout: 10_000,
    keepAlive: keepAliveMs,
    on: {
      connected: (_socket, _payload, wasRetry) => {
        logger.info(wasRetry ? 'reconnected; resubscribing' : 'connected', {
          url: options.gatewayUrl,
        });
      },
      closed: (event) => {
        clearTimeout(pongTimer);
        // 1000 is the lazy client closing an idle socket itself, e.g. between resubscriptions.
        if (ending.signal.aborted || closeCodeOf(event) === 1000) return;
        logger.warn('gateway connection closed', { reason: describeError(event) });
      },
      // A silently dead peer (host gone, NAT entry dropped) never closes the socket; without a
      // pong deadline the bot would wait forever for events that cannot come.
      ping: (received) => {
        if (received || keepAliveMs <= 0) return;
        clearTimeout(pongTimer);
        pongTimer = setTimeout(() => {
          logger.warn('no pong from the gateway; reconnecting');
          client.terminate();
        }, keepAliveMs / 2);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
    },
  });

  function report(op: FlowOperationEvent): void {
    if (operationMode) {
      const state = `${op.flowOperationStatus ?? ''}\u0000${op.statusMessage ?? ''}`;
      if (state === lastOperationState) return;
      lastOperationState = state;
    }
    const text = formatStatusChange(op);
    logger.info('status change', { flowOperationId: op.flowOperationId, text });
    void poster.post(text);
  }

  function isPermanent(error: unknown): boolean {
    const codes = graphQLErrorCodes(error);
    if (codes) return codes.some((code) => PERMANENT_ERROR_CODES.has(code));
    const closeCode = closeCodeOf(error);
    if (closeCode !== undefined && PERMANENT_CLOSE_CODES.has(closeCode)) return true;
    // With a finite budget, a connection error reaching the sink means it has been spent.
    return Number.isFinite(retryAttempts) && !(error instanceof Error);
  }

  function subscribe(): void {
    let errors: unknown;
    let sawFinal = false;
    unsubscribe = client.subscribe<Record<string, FlowOperationEvent | null | undefined>>(payload, {
      next: (result) => {
        // Errors at subscribe time (bad argument, unknown operation) come as a result, then
        // `complete`; errors while it runs come through `error`.
        if (result.errors?.length) {
          errors = result.errors;
          return;
        }
        const op = result.data?.[field];
        if (!op) return;
        failuresInARow = 0;
        report(op);
        if (operationMode && isFinalStatus(op.flowOperationStatus)) sawFinal = true;
      },
      error: (error) => void ended(error, sawFinal),
      complete: () => void ended(errors, sawFinal),
    });
  }

  async function ended(error: unknown, sawFinal: boolean): Promise<void> {
    unsubscribe = undefined;
    if (ending.signal.aborted) return;
    if (sawFinal) return finish({ reason: 'finished' });
    if (error !== undefined && isPermanent(error)) {
      logger.error('subscription failed; not retrying', { error: describeError(error) });
      return finish({ reason: 'failed', error: describeError(error) });
    }
    // Transient: UPSTREAM_ERROR after the gateway's own poll retries, a 4500, or a zone
    // subscription the gateway ended. Resubscribe on the same client, backing off.
    const delay = Math.round(backoffDelay(failuresInARow++, baseDelayMs, maxDelayMs));
    logger.warn('subscription ended; resubscribing', {
      error: error === undefined ? undefined : describeError(error),
      inMs: delay,
    });
    await sleep(delay, ending.signal);
    if (!ending.signal.aborted) subscribe();
  }

  async function disposeClient(): Promise<void> {
    const disposed = Promise.resolve()
      .then(() => client.dispose())
      .then(
        () => true,
        // Disposing while a reconnect is pending rejects with that attempt's failure; moot now.
        () => true,
      );
    const timer = new AbortController();
    const inTime = await Promise.race([disposed, sleep(2000, timer.signal).then(() => false)]);
    timer.abort();
    // A connection attempt to a host that never answers would hold dispose() until it times
    // out; dropping it is enough, since nothing is subscribed any more.
    if (!inTime) client.terminate();
  }

  function finish(outcome: BotOutcome): Promise<void> {
    finishing ??= (async () => {
      ending.abort();
      clearTimeout(pongTimer);
      unsubscribe?.();
      unsubscribe = undefined;
      await disposeClient();
      // The final status of a watched operation is the one message that must get out before
      // the process exits; on stop or failure the drain is bounded.
      if (outcome.reason === 'finished') await poster.idle();
      await poster.close(options.drainTimeoutMs ?? 5000);
      logger.info('bot ended', { ...outcome });
      resolveDone(outcome);
    })();
    return finishing;
  }

  logger.info('watching', {
    firewallArn: options.firewallArn,
    availabilityZone: options.availabilityZone,
    flowOperationId: options.flowOperationId,
  });
  subscribe();

  return {
    done,
    stop: () => finish({ reason: 'stopped' }),
  };
}
