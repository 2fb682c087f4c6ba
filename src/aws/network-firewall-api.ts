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
import { mapAwsError, markCredentialsFailure } from '../errors.js';
import { createNetworkFirewallClient } from './client.js';
import type { ClientSettings } from './client.js';
import { Router, targetKey } from './routing.js';
import type { Target } from './routing.js';

/**
 * The upstream as the rest of the gateway sees it: the seven Network Firewall calls it uses, in
 * AWS's own request and response shapes. Everything that talks to AWS sits behind this interface,
 * so resolvers, loaders and pollers never import the SDK's commands, and every failure arrives
 * already mapped to a GatewayError.
 */
export interface NetworkFirewallApi {
  describeFlowOperation(
    input: DescribeFlowOperationRequest,
  ): Promise<DescribeFlowOperationResponse>;
  listFlowOperations(input: ListFlowOperationsRequest): Promise<ListFlowOperationsResponse>;
  listFlowOperationResults(
    input: ListFlowOperationResultsRequest,
  ): Promise<ListFlowOperationResultsResponse>;
  startFlowCapture(input: StartFlowCaptureRequest): Promise<StartFlowCaptureResponse>;
  startFlowFlush(input: StartFlowFlushRequest): Promise<StartFlowFlushResponse>;
  /** Lists in one region and account; without a target, the gateway's own region and credentials. */
  listFirewalls(input: ListFirewallsRequest, target?: Target): Promise<ListFirewallsResponse>;
  describeFirewall(input: DescribeFirewallRequest): Promise<DescribeFirewallResponse>;
  /** Releases sockets; the API must not be used afterwards. */
  destroy(): void;
}

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
  /** Routes each call by its firewall ARN; default: the ARN's region, default credentials. */
  router?: Router;
  /** STS endpoint for assuming account roles (the simulator's in tests); default: the SDK's. */
  stsEndpoint?: string | undefined;
}

/**
 * The SDK-backed implementation. Each call is signed for the region its firewall ARN names and
 * with the credentials of the account it names (a role assumed through STS, refreshed by the SDK
 * before it expires), with one client per (region, account) created on first use.
 */
export class SdkNetworkFirewallApi implements NetworkFirewallApi {
  private readonly clients = new Map<string, NetworkFirewallClient>();
  private readonly router: Router;

  constructor(private readonly settings: SdkApiOptions) {
    this.router =
      settings.router ??
      new Router({
        regions: [],
        accounts: [],
        defaultAccountId: undefined,
        defaultRegion: settings.region,
      });
  }

  private client(firewallArn?: string, target?: Target): NetworkFirewallClient {
    const to =
      target ??
      (firewallArn
        ? this.router.forArn(firewallArn)
        : { region: this.settings.region, account: undefined });
    const region = to.region ?? this.settings.region;
    const key = targetKey({ region, account: to.account });
    let client = this.clients.get(key);
    if (!client) {
      const credentials = to.account
        ? assumedRole({
            params: {
              RoleArn: to.account.roleArn,
              RoleSessionName: 'nfw-flow-gateway',
              ...(to.account.externalId ? { ExternalId: to.account.externalId } : {}),
            },
            // On the simulator the static keys sign the AssumeRole call too; on AWS the default chain.
            ...(this.settings.credentials
              ? { masterCredentials: this.settings.credentials as AwsCredentialIdentity }
              : {}),
            clientConfig: {
              region,
              ...(this.settings.stsEndpoint ? { endpoint: this.settings.stsEndpoint } : {}),
            },
          })
        : this.settings.credentials;
      client = createNetworkFirewallClient({ ...this.settings, region, credentials });
      this.clients.set(key, client);
    }
    return client;
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

  describeFlowOperation(input: DescribeFlowOperationRequest) {
    return this.call('DescribeFlowOperation', () =>
      this.client(input.FirewallArn).send(new DescribeFlowOperationCommand(input)),
    );
  }

  listFlowOperations(input: ListFlowOperationsRequest) {
    return this.call('ListFlowOperations', () =>
      this.client(input.FirewallArn).send(new ListFlowOperationsCommand(input)),
    );
  }

  listFlowOperationResults(input: ListFlowOperationResultsRequest) {
    return this.call('ListFlowOperationResults', () =>
      this.client(input.FirewallArn).send(new ListFlowOperationResultsCommand(input)),
    );
  }

  startFlowCapture(input: StartFlowCaptureRequest) {
    return this.call('StartFlowCapture', () =>
      this.client(input.FirewallArn).send(new StartFlowCaptureCommand(input)),
    );
  }

  startFlowFlush(input: StartFlowFlushRequest) {
    return this.call('StartFlowFlush', () =>
      this.client(input.FirewallArn).send(new StartFlowFlushCommand(input)),
    );
  }

  listFirewalls(input: ListFirewallsRequest, target?: Target) {
    return this.call('ListFirewalls', () =>
      this.client(undefined, target).send(new ListFirewallsCommand(input)),
    );
  }

  describeFirewall(input: DescribeFirewallRequest) {
    return this.call('DescribeFirewall', () =>
      this.client(input.FirewallArn).send(new DescribeFirewallCommand(input)),
    );
  }

  destroy(): void {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}
