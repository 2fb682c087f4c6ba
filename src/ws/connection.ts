import { randomUUID } from 'node:crypto';
import { OperationTypeNode, execute } from 'graphql';
import { withReportedErrors } from '../reported-errors.js';
import type {
  DocumentNode,
  ExecutionResult,
  GraphQLError,
  GraphQLFormattedError,
  GraphQLSchema,
} from 'graphql';
import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, MessageType, parseMessage } from 'graphql-ws';
import type { SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import type { AuthenticatedConnection, WebSocketAuth } from '../auth/websocket.js';
import type { Principal } from '../auth/principal.js';
import type { GatewayContext } from '../context.js';
import {
  GatewayError,
  LimitExceededError,
  RateLimitedError,
  UnreachableCaseError,
  UpstreamError,
  asGraphQLError,
} from '../errors.js';
import type { Ceiling } from '../limits/ceiling.js';
import { rateKey } from '../limits/rate-limit.js';
import type { RateDecision, RateLimiter } from '../limits/rate-limit.js';
import { chargeUpstream, settleUpstream } from '../limits/upstream-budget.js';
import type { UpstreamCharge } from '../limits/upstream-budget.js';
import { requestContext } from '../observability/request-context.js';
import type { CohortMember, CohortRegistry, Cohort } from './cohorts.js';
import { SHUTTING_DOWN } from './cohorts.js';
import {
  ackMessage,
  completeMessage,
  errorMessage,
  errorsJson,
  fitCloseReason,
  nextMessage,
  pongMessage,
  resultJson,
} from './messages.js';
import { acceptPersistedSubscribe } from '../documents/persisted.js';
import type { PersistedDocuments } from '../documents/persisted.js';
import type { OperationPreparer } from './operation.js';
import { cohortKey, subscriptionField } from './operation.js';
import { subscriptionKind } from '../subscriptions/topics.js';
import {
  describeSubscribeSpan,
  inSubscribeSpan,
  refuseSubscribeSpan,
} from '../telemetry/websocket-operation.js';

/** What every connection of one server shares; a connection holds one reference to it. */
export interface ConnectionServices {
  readonly schema: GraphQLSchema;
  readonly auth: WebSocketAuth;
  readonly preparer: OperationPreparer;
  /** Trusted documents and APQ (`documentId`, `extensions.persistedQuery`), as over HTTP. */
  readonly documents?: PersistedDocuments | undefined;
  readonly cohorts: CohortRegistry;
  readonly contextFactory: (principal: Principal) => GatewayContext;
  readonly format: (error: GraphQLFormattedError) => GraphQLFormattedError;
  readonly maxSubscriptions: number;
  /** RATE_LIMIT_PER_MINUTE: a `subscribe` that runs something takes a token from its caller's bucket, as HTTP does. */
  readonly limiter: RateLimiter | undefined;
  /**
   * UPSTREAM_CALLS_PER_MINUTE: a `subscribe` that runs something is charged its cost, as over HTTP.
   * A subscription pays for its first execution only: its polls are shared by every subscriber.
   */
  readonly budget?: RateLimiter | undefined;
  /** MAX_SUBSCRIPTIONS_PER_CALLER: operations held by each caller (its rate key) over all sockets. */
  readonly perCaller: Ceiling;
  /**
   * Set when shutdown begins: nothing new starts, what runs finishes and is delivered, and each
   * socket closes with 1001 once its last operation has ended.
   */
  draining: boolean;
  /** While draining: a socket's last operation ended (shutdown waits for work, not sockets). */
  idle?: (() => void) | undefined;
}

/** RFC 6455's Going Away: the server is leaving; reconnect (to another replica) and resubscribe. */
export const CLOSE_GOING_AWAY = 1001;
// Where a connection is in the handshake. Numbers, not objects: one small field per socket.
const AWAITING_INIT = 0;
const AUTHENTICATING = 1;
const ACKNOWLEDGED = 2;
type Phase = typeof AWAITING_INIT | typeof AUTHENTICATING | typeof ACKNOWLEDGED;

/** One operation a client started with `subscribe`: a cohort member, or a query in flight. */
class ClientOperation implements CohortMember {
  cohort: Cohort | undefined = undefined;
  /**
   * Counted against MAX_SUBSCRIPTIONS_PER_CALLER (hold() passed). Until then the operation is a
   * placeholder: its id is reserved while its `subscribe` awaits the limits, so that a `complete`
   * or a duplicate id arriving meanwhile finds it.
   */
  held = false;

  constructor(
    readonly connection: Connection,
    readonly id: string,
  ) {}

  send(message: string): void {
    this.connection.send(message);
  }

  finished(): void {
    this.connection.forget(this);
  }
}

/** What a `subscribe` was charged before it ran, to give back if it never does. */
interface Charges {
  token: RateDecision | undefined;
  upstream: UpstreamCharge | undefined;
  /** Stopped by the gateway after its charges (not by its document or the caller's limits). */
  withdrawn: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One client socket speaking `graphql-transport-ws` (the protocol of the graphql-ws library, whose
 * client and message codec this uses). It holds only what the protocol needs: the handshake phase,
 * the caller, and its operations by id; subscriptions run in shared cohorts. An idle bot costs
 * its socket plus a few hundred bytes here, not an execution of its own.
 */
export class Connection implements AuthenticatedConnection {
  principal: Principal | undefined = undefined;
  expiry: NodeJS.Timeout | undefined = undefined;
  /** Heard from since the last keep-alive ping (see keep-alive.ts). */
  alive = true;
  /** When that ping was written (keep-alive.ts). */
  pingedAt = 0;
  private phase: Phase = AWAITING_INIT;
  private initTimer: NodeJS.Timeout | undefined;
  // Created with the first operation: a connection that only handshakes holds no map.
  private operations: Map<string, ClientOperation> | undefined;

  constructor(
    readonly socket: WebSocket,
    readonly address: string,
    private readonly services: ConnectionServices,
    initTimeoutMs: number,
  ) {
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    if (initTimeoutMs > 0 && Number.isFinite(initTimeoutMs)) {
      this.initTimer = setTimeout(() => {
        this.initTimer = undefined;
        if (this.phase === AWAITING_INIT) {
          socket.close(
            CloseCode.ConnectionInitialisationTimeout,
            'Connection initialisation timeout',
          );
        }
      }, initTimeoutMs);
      this.initTimer.unref();
    }
  }

  get operationCount(): number {
    return this.operations?.size ?? 0;
  }

  /** One text frame from the client. */
  async receive(data: string): Promise<void> {
    // ws still delivers frames while a close handshake runs (up to 30 s with a peer that does not
    // answer it): a socket closed for a revoked key, an expired token or shutdown does no more.
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.alive = true;
    let message;
    try {
      message = parseMessage(acceptPersistedSubscribe(data));
    } catch {
      this.close(CloseCode.BadRequest, 'Invalid message received');
      return;
    }
    switch (message.type) {
      case MessageType.ConnectionInit:
        return this.init(isRecord(message.payload) ? message.payload : undefined);
      case MessageType.Ping:
        this.send(pongMessage(message.payload));
        return;
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        // Its own request id, as an HTTP request has: in its log lines, AWS calls and audit line.
        return requestContext.run({ requestId: randomUUID() }, () =>
          inSubscribeSpan(message.payload, () => this.subscribe(message.id, message.payload)),
        );
      case MessageType.Complete:
        this.complete(message.id);
        return;
      case MessageType.ConnectionAck:
      case MessageType.Next:
      case MessageType.Error:
        // Server-to-client messages: a client sending one is not speaking the protocol.
        this.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
        return;
      default:
        throw new UnreachableCaseError(message);
    }
  }

  /** The socket closed, for whatever reason: leave every cohort and drop every timer. */
  closed(): void {
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = undefined;
    this.services.auth.release(this);
    const operations = this.operations;
    this.operations = undefined;
    if (!operations) return;
    let held = 0;
    for (const operation of operations.values()) {
      if (operation.held) held += 1;
      this.services.cohorts.leave(operation);
    }
    this.services.perCaller.release(this.callerKey(), held);
  }

  /** Shutdown: a socket with nothing in flight closes now, the others after their last result. */
  drain(): void {
    if (this.operationCount === 0) this.close(CLOSE_GOING_AWAY, 'Going away');
  }

  send(message: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(message);
  }

  close(code: number, reason: string): void {
    // ws throws on a reason over 123 bytes; reasons are the server's own words, never the
    // caller's, but a close must not be what fails.
    this.socket.close(code, fitCloseReason(reason));
  }

  /** An operation ended on the server's side (completed, failed or refused): its id is free again. */
  forget(operation: ClientOperation): void {
    if (this.operations?.get(operation.id) !== operation) return;
    this.operations.delete(operation.id);
    this.released(operation.held);
  }

  private async init(params: Record<string, unknown> | undefined): Promise<void> {
    if (this.phase !== AWAITING_INIT) {
      this.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
      return;
    }
    this.phase = AUTHENTICATING;
    if (this.initTimer) clearTimeout(this.initTimer);
    this.initTimer = undefined;
    const principal = await this.services.auth.authenticate(this, params);
    if (!principal) return;
    this.phase = ACKNOWLEDGED;
    this.send(ackMessage());
  }

  private async subscribe(id: string, payload: SubscribePayload): Promise<void> {
    const principal = this.principal;
    if (this.phase !== ACKNOWLEDGED || !principal) {
      this.close(CloseCode.Unauthorized, 'Unauthorized');
      return;
    }
    const { services } = this;
    if (services.draining) {
      // What runs finishes; nothing new starts here. The client retries on another replica.
      this.refuse(id, [new UpstreamError(SHUTTING_DOWN)]);
      return;
    }
    const operations = (this.operations ??= new Map());
    if (operations.has(id)) {
      // Not the id itself: the caller chose it, and a close reason holds 123 bytes at most.
      this.close(CloseCode.SubscriberAlreadyExists, 'Subscriber for this id already exists');
      return;
    }
    // Placeholders count: subscribes arriving together (one write) all run to their first await
    // before any is held, so this check is the one that sees them all.
    if (operations.size >= services.maxSubscriptions) {
      this.refuse(id, [
        new LimitExceededError(
          `This connection already holds ${services.maxSubscriptions} subscriptions (WS_MAX_SUBSCRIPTIONS); complete one first`,
        ),
      ]);
      return;
    }
    // Reserved before the first await: a `complete` sent meanwhile removes it and wins.
    const client = new ClientOperation(this, id);
    operations.set(id, client);
    const charges: Charges = { token: undefined, upstream: undefined, withdrawn: false };
    try {
      await this.run(client, principal, payload, charges);
    } finally {
      if (!client.held) {
        // Nothing ran, so nothing was spent at AWS: its upstream charge is given back. So is its
        // rate token when the gateway, not the caller's document or limits, stopped it (socket
        // gone, completed meanwhile, shutdown, the per-caller ceiling).
        this.forget(client);
        const { token, upstream, withdrawn } = charges;
        if (upstream && services.budget) await settleUpstream(services.budget, upstream);
        if (withdrawn && token?.ok) {
          await services.limiter?.settle(rateKey(principal, this.address), 1, 0, token);
        }
      }
    }
  }

  /** Whether `client`'s subscribe may go on after an await: its id still reserved, not draining. */
  private stillWanted(client: ClientOperation, charges: Charges): boolean {
    charges.withdrawn = true;
    if (this.operations?.get(client.id) !== client) return false;
    if (this.socket.readyState !== this.socket.OPEN) return false;
    if (this.services.draining) {
      // Shutdown began while this awaited the limits: it has not started, so it does not.
      this.refuse(client.id, [new UpstreamError(SHUTTING_DOWN)]);
      return false;
    }
    charges.withdrawn = false;
    return true;
  }

  private async run(
    client: ClientOperation,
    principal: Principal,
    payload: SubscribePayload,
    charges: Charges,
  ): Promise<void> {
    const { services } = this;
    const { id } = client;
    // One token per subscribe, except one that joins a running execution: that costs no AWS call
    // and no execution. Unseen documents pay before they are parsed.
    let charged = false;
    const charge = async (): Promise<boolean> => {
      charged = true;
      const decision = await services.limiter?.take(rateKey(principal, this.address));
      charges.token = decision;
      if (!this.stillWanted(client, charges)) return false;
      if (!decision || decision.ok) return true;
      this.refuse(id, [RateLimitedError.after(decision.retryAfterSeconds)]);
      return false;
    };
    // The document first, from ids and hashes only: under TRUSTED_DOCUMENTS=enforce an unknown
    // one is refused here, before it is parsed, and pays its token as any refusal does.
    let pinned: DocumentNode | undefined;
    let register: (() => Promise<void>) | undefined;
    if (services.documents) {
      const resolved = await services.documents.forWebSocket(payload, principal);
      if (!this.stillWanted(client, charges)) return;
      if (resolved.kind === 'refused') {
        if (await charge()) this.refuse(id, [resolved.error]);
        return;
      }
      payload = { ...payload, query: resolved.query };
      pinned = resolved.document;
      register = resolved.register;
    }
    if (!pinned && !services.preparer.knows(payload.query) && !(await charge())) return;
    const prepared = services.preparer.prepare(payload, pinned);
    if (prepared.kind === 'refused') {
      // Refused documents cost a token too, as refused HTTP requests do.
      if (!charged && !(await charge())) return;
      this.refuse(id, prepared.errors);
      return;
    }
    const { document, operation } = prepared;
    describeSubscribeSpan(
      operation.operation,
      payload.operationName,
      payload.query,
      prepared.complexity?.cost,
    );
    // An APQ text is stored only now, having paid its token and passed every check.
    if (register) await register();
    const key =
      operation.operation === OperationTypeNode.SUBSCRIPTION
        ? cohortKey(principal, payload)
        : undefined;
    // A fleet of bots on one key resubscribing after a deploy is not refused for being many.
    const joins = key !== undefined && services.cohorts.has(key);
    if (!joins && !charged && !(await charge())) return;
    let upstream: UpstreamCharge | undefined;
    if (!joins && services.budget) {
      const outcome = await chargeUpstream(
        services.budget,
        rateKey(principal, this.address),
        prepared.complexity,
      );
      if (outcome instanceof GatewayError) {
        if (this.stillWanted(client, charges)) this.refuse(id, [outcome]);
        return;
      }
      upstream = charges.upstream = outcome;
      // The limits are asynchronous (Redis): the socket may have closed, the client completed
      // the id, or shutdown begun, since.
      if (!this.stillWanted(client, charges)) return;
    }
    if (!this.hold(client)) {
      charges.withdrawn = true;
      return;
    }
    const execution = () => ({
      schema: services.schema,
      document,
      operationName: payload.operationName ?? null,
      variableValues: payload.variables ?? null,
      contextValue: services.contextFactory(principal),
    });

    if (key !== undefined) {
      // The topic's kind decides what a late joiner of the shared execution is owed.
      const plan = {
        key,
        kind: subscriptionKind(subscriptionField(document, operation)) ?? 'changes',
        execution,
      };
      // A shared execution outlives this message and serves other subscribers: run it outside this
      // message's request context, which its promises would otherwise keep alive for its whole life.
      requestContext.exit(() => services.cohorts.join(client, plan));
      return;
    }

    // Queries and mutations over the socket run on their own, like an HTTP request.
    let result: ExecutionResult;
    const args = execution();
    try {
      // Errors a resolver reported beside its data (a failed source of `firewalls`) join the result.
      result = withReportedErrors(await execute(args), args.contextValue);
    } catch (error) {
      result = { errors: [asGraphQLError(error)] };
    }
    if (upstream && services.budget) await settleUpstream(services.budget, upstream);
    // The client may have completed it meanwhile; then it hears nothing more.
    if (this.operations?.get(id) !== client) return;
    this.send(nextMessage(id, resultJson(result, services.format)));
    this.send(completeMessage(id));
    // After the result: during shutdown, forgetting the last operation closes the socket.
    this.forget(client);
  }

  private complete(id: string): void {
    const operation = this.operations?.get(id);
    if (!operation) return;
    this.operations?.delete(id);
    this.services.cohorts.leave(operation);
    this.released(operation.held);
  }

  /** Records an operation, within its caller's MAX_SUBSCRIPTIONS_PER_CALLER over all sockets. */
  private hold(operation: ClientOperation): boolean {
    // The socket may have closed while this subscribe awaited something: what it held is released.
    if (this.socket.readyState !== this.socket.OPEN) return false;
    const { perCaller } = this.services;
    // Joining a shared execution is free of rate tokens: this ceiling is what bounds a caller.
    if (!perCaller.take(this.callerKey())) {
      this.refuse(operation.id, [
        new LimitExceededError(
          `This caller already holds ${perCaller.max} subscriptions over its connections (MAX_SUBSCRIPTIONS_PER_CALLER); complete one first`,
        ),
      ]);
      return false;
    }
    operation.held = true;
    return true;
  }

  /** One operation ended, was completed by the client, or was refused before it was held. */
  private released(held: boolean): void {
    if (held) this.services.perCaller.release(this.callerKey());
    if (this.services.draining && this.operationCount === 0) {
      this.close(CLOSE_GOING_AWAY, 'Going away');
      this.services.idle?.();
    }
  }

  /** Whose ceiling this socket's operations count against. */
  private callerKey(): string {
    // Operations exist only after the acknowledgement, which sets the principal.
    return rateKey(this.principal as Principal, this.address);
  }

  private refuse(id: string, errors: readonly GraphQLError[]): void {
    refuseSubscribeSpan(errors[0]?.extensions.code);
    this.send(errorMessage(id, errorsJson(errors, this.services.format)));
  }
}
