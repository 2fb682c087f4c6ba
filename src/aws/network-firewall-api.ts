import {
  DescribeFirewallCommand,
  DescribeFlowOperationCommand,
  ListFirewallsCommand,
  ListFlowOperationResultsCommand,
  ListFlowOperationsCommand,
  StartFlowCaptureCommand,
  StartFlowFlushCommand,
} from '@aws-sdk/client-network-firewall';
import type {
  DescribeFirewallRequest,
  DescribeFirewallResponse,
  DescribeFlowOperationRequest,
  DescribeFlowOperationResponse,
  ListFirewallsRequest,
  ListFirewallsResponse,
  ListFlowOperationResultsRequest,
  ListFlowOperationResultsResponse,
  ListFlowOperationsRequest,
  ListFlowOperationsResponse,
  NetworkFirewallClient,
  StartFlowCaptureRequest,
  StartFlowCaptureResponse,
  StartFlowFlushRequest,
  StartFlowFlushResponse,
} from '@aws-sdk/client-network-firewall';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity } from '@smithy/types';
import { OutcomeUnknownError, mapAwsError, markCredentialsFailure } from '../errors.js';
import { createNetworkFirewallClient } from './client.js';
import type { ClientSettings } from './client.js';
import { classifyStartFailure, lostAnswerReason, startRetryDelayMs } from './start-attempts.js';
import { targetKey } from './routing.js';
import type { Target } from './routing.js';

/**
 * The upstream as the rest of the gateway sees it: the seven Network Firewall calls it uses, in
 * AWS's own request and response shapes. Everything that talks to AWS sits behind this interface,
 * so resolvers, loaders and pollers never import the SDK's commands, and every failure arrives
 * already mapped to a GatewayError.
 */
export interface NetworkFirewallApi {
  // Every call names its target (region and account): the caller routed the firewall ARN once,
  // next to authorize (src/auth/targets.ts); this layer neither parses nor checks it again.
  describeFlowOperation(
    input: DescribeFlowOperationRequest,
    target: Target,
  ): Promise<DescribeFlowOperationResponse>;
  listFlowOperations(
    input: ListFlowOperationsRequest,
    target: Target,
  ): Promise<ListFlowOperationsResponse>;
  listFlowOperationResults(
    input: ListFlowOperationResultsRequest,
    target: Target,
  ): Promise<ListFlowOperationResultsResponse>;
  /**
   * Starts are sent to AWS at most once (retried only when AWS provably did not act). A start whose
   * answer was lost fails with OutcomeUnknownError, never with a failure code, unless it was found
   * again (start-reconciler.ts), which marks the answer `reconciled`.
   */
  startFlowCapture(
    input: StartFlowCaptureRequest,
    target: Target,
  ): Promise<StartResult<StartFlowCaptureResponse>>;
  startFlowFlush(
    input: StartFlowFlushRequest,
    target: Target,
  ): Promise<StartResult<StartFlowFlushResponse>>;
  /** Lists in one region and account; without a target, the gateway's own region and credentials. */
  listFirewalls(input: ListFirewallsRequest, target?: Target): Promise<ListFirewallsResponse>;
  describeFirewall(
    input: DescribeFirewallRequest,
    target: Target,
  ): Promise<DescribeFirewallResponse>;
  /** Releases sockets; the API must not be used afterwards. */
  destroy(): void;
}

/** A start's answer; `reconciled` when AWS's answer was lost and the operation found by listing. */
export type StartResult<T> = T & { reconciled?: true };

type Strip<T> = Omit<T, '$metadata'>;

/**
 * The SDK's temporary-credentials provider, with its failures marked: an AssumeRole refusal
 * arrives as an ordinary STS client fault, which would otherwise read as the caller's mistake.
 */
function assumedRole(
  options: Parameters<typeof fromTemporaryCredentials>[0],
): ReturnType<typeof fromTemporaryCredentials> {
  const provider = fromTemporaryCredentials(options);
  return (props) =>
    provider(props).catch((error: unknown) => {
      throw markCredentialsFailure(error);
    });
}

function strip<T extends { $metadata?: unknown }>(output: T): Strip<T> {
  const { $metadata: _metadata, ...rest } = output;
  return rest;
}

export interface SdkApiOptions extends ClientSettings {
  /** STS endpoint for assuming account roles (the simulator's in tests); default: the SDK's. */
  stsEndpoint?: string | undefined;
  /** Per-attempt timeout of StartFlowCapture and StartFlowFlush (AWS_START_TIMEOUT_MS). */
  startTimeoutMs: number;
}

/** Reads retry with the SDK's standard mode; starts get one attempt per send (see start()). */
type Purpose = 'read' | 'start';

/**
 * The SDK-backed implementation. Each call is signed for its target's region and with the
 * credentials of its target's account (a role assumed through STS, refreshed by the SDK before it
 * expires), with one client per (region, account) created on first use.
 */
export class SdkNetworkFirewallApi implements NetworkFirewallApi {
  private readonly clients = new Map<string, NetworkFirewallClient>();
  private readonly credentials = new Map<string, ClientSettings['credentials']>();

  constructor(private readonly settings: SdkApiOptions) {}

  private client(to: Target | undefined, purpose: Purpose = 'read'): NetworkFirewallClient {
    const region = to?.region ?? this.settings.region;
    const key = targetKey({ region, account: to?.account });
    const clientKey = `${purpose} ${key}`;
    let client = this.clients.get(clientKey);
    if (!client) {
      const credentials = this.credentialsFor(key, region, to?.account);
      // Starts: the SDK never retries (maxAttempts 1) and waits AWS_START_TIMEOUT_MS; start()
      // decides about another attempt itself. The SDK's retry strategy is per client, and its
      // standard mode retries timeouts, 5xx and every transient network error alike, which for a
      // start that is not idempotent is how one flush became three.
      const settings =
        purpose === 'start'
          ? { maxAttempts: 1, requestTimeoutMs: this.settings.startTimeoutMs }
          : {};
      client = createNetworkFirewallClient({ ...this.settings, ...settings, region, credentials });
      this.clients.set(clientKey, client);
    }
    return client;
  }

  /** One credential provider per (region, account), shared by its read and start clients. */
  private credentialsFor(
    key: string,
    region: string | undefined,
    account: Target['account'],
  ): ClientSettings['credentials'] {
    if (!account) return this.settings.credentials;
    let credentials = this.credentials.get(key);
    if (!credentials) {
      credentials = assumedRole({
        params: {
          RoleArn: account.roleArn,
          RoleSessionName: 'nfw-flow-gateway',
          ...(account.externalId ? { ExternalId: account.externalId } : {}),
        },
        // On the simulator the static keys sign the AssumeRole call too; on AWS the default chain.
        ...(this.settings.credentials
          ? { masterCredentials: this.settings.credentials as AwsCredentialIdentity }
          : {}),
        clientConfig: {
          region,
          ...(this.settings.stsEndpoint ? { endpoint: this.settings.stsEndpoint } : {}),
        },
      });
      this.credentials.set(key, credentials);
    }
    return credentials;
  }

  /** Told how many attempts each call took (the SDK's retries), for the retries metric. */
  onAttempts: ((operation: string, attempts: number) => void) | undefined;

  private async call<T extends { $metadata?: unknown }>(
    what: string,
    send: () => Promise<T>,
  ): Promise<Strip<T>> {
    try {
      const output = await send();
      this.reportAttempts(what, output.$metadata);
      return strip(output);
    } catch (error) {
      this.reportAttempts(what, (error as { $metadata?: unknown } | null)?.$metadata);
      throw mapAwsError(error, what);
    }
  }

  private reportAttempts(operation: string, metadata: unknown): void {
    const attempts = (metadata as { attempts?: unknown } | undefined)?.attempts;
    if (typeof attempts === 'number') this.onAttempts?.(operation, attempts);
  }

  describeFlowOperation(input: DescribeFlowOperationRequest, target: Target) {
    return this.call('DescribeFlowOperation', () =>
      this.client(target).send(new DescribeFlowOperationCommand(input)),
    );
  }

  listFlowOperations(input: ListFlowOperationsRequest, target: Target) {
    return this.call('ListFlowOperations', () =>
      this.client(target).send(new ListFlowOperationsCommand(input)),
    );
  }

  listFlowOperationResults(input: ListFlowOperationResultsRequest, target: Target) {
    return this.call('ListFlowOperationResults', () =>
      this.client(target).send(new ListFlowOperationResultsCommand(input)),
    );
  }

  /**
   * Sends a start at most once as far as AWS can tell: another attempt (up to AWS_MAX_ATTEMPTS,
   * with backoff) only after an attempt that AWS provably did not act on (start-attempts.ts). An
   * attempt whose outcome is unknown ends the call with OutcomeUnknownError, for the reconciler.
   */
  private async start<T extends { $metadata?: unknown }>(
    what: 'StartFlowCapture' | 'StartFlowFlush',
    target: Target,
    send: (client: NetworkFirewallClient) => Promise<T>,
  ): Promise<Strip<T>> {
    const client = this.client(target, 'start');
    const requestedAt = new Date();
    for (let attempt = 1; ; attempt++) {
      try {
        const output = await send(client);
        this.onAttempts?.(what, attempt);
        return strip(output);
      } catch (error) {
        const verdict = classifyStartFailure(error);
        if (verdict === 'retry' && attempt < this.settings.maxAttempts) {
          await new Promise((resolve) => setTimeout(resolve, startRetryDelayMs(error, attempt)));
          continue;
        }
        this.onAttempts?.(what, attempt);
        // The SDK counted one attempt per send; THROTTLED's message reports all of them.
        const metadata = (error as { $metadata?: { attempts?: number } } | null)?.$metadata;
        if (metadata) metadata.attempts = attempt;
        const mapped = mapAwsError(error, what);
        if (verdict !== 'unknown') throw mapped;
        const reason = lostAnswerReason(error, this.settings.startTimeoutMs);
        throw new OutcomeUnknownError(
          `${what} was sent at ${requestedAt.toISOString()}, but ${reason}: AWS may have started it`,
          {
            requestedAt: requestedAt.toISOString(),
            // Only when AWS answered (a 5xx): a timeout's "TimeoutError" is no AWS exception.
            ...(mapped.extensions.awsRequestId
              ? {
                  awsErrorName: mapped.extensions.awsErrorName as string,
                  awsRequestId: mapped.extensions.awsRequestId as string,
                }
              : {}),
          },
        );
      }
    }
  }

  startFlowCapture(input: StartFlowCaptureRequest, target: Target) {
    return this.start('StartFlowCapture', target, (client) =>
      client.send(new StartFlowCaptureCommand(input)),
    );
  }

  startFlowFlush(input: StartFlowFlushRequest, target: Target) {
    return this.start('StartFlowFlush', target, (client) =>
      client.send(new StartFlowFlushCommand(input)),
    );
  }

  listFirewalls(input: ListFirewallsRequest, target?: Target) {
    return this.call('ListFirewalls', () =>
      this.client(target).send(new ListFirewallsCommand(input)),
    );
  }

  describeFirewall(input: DescribeFirewallRequest, target: Target) {
    return this.call('DescribeFirewall', () =>
      this.client(target).send(new DescribeFirewallCommand(input)),
    );
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
    this.credentials.clear();
  }
}
