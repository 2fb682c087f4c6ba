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
import { mapAwsError } from '../errors.js';
import { parseFirewallArn } from './arn.js';
import { createNetworkFirewallClient } from './client.js';
import type { ClientSettings } from './client.js';

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
  listFirewalls(input: ListFirewallsRequest): Promise<ListFirewallsResponse>;
  describeFirewall(input: DescribeFirewallRequest): Promise<DescribeFirewallResponse>;
  /** Releases sockets; the API must not be used afterwards. */
  destroy(): void;
}

type Strip<T> = Omit<T, '$metadata'>;

function strip<T extends { $metadata?: unknown }>(output: T): Strip<T> {
  const { $metadata: _metadata, ...rest } = output;
  return rest;
}

/**
 * The SDK-backed implementation. Each call is signed for the region its firewall ARN names,
 * with one client per region created on first use, because a firewall lives in exactly one
 * region and the gateway's own region is only the default.
 */
export class SdkNetworkFirewallApi implements NetworkFirewallApi {
  private readonly clients = new Map<string, NetworkFirewallClient>();

  constructor(private readonly settings: ClientSettings) {}

  private client(firewallArn?: string): NetworkFirewallClient {
    const region = (firewallArn && parseFirewallArn(firewallArn)?.region) || this.settings.region;
    const cacheKey = region ?? '';
    let client = this.clients.get(cacheKey);
    if (!client) {
      client = createNetworkFirewallClient({ ...this.settings, region });
      this.clients.set(cacheKey, client);
    }
    return client;
  }

  private async call<T extends { $metadata?: unknown }>(
    what: string,
    send: () => Promise<T>,
  ): Promise<Strip<T>> {
    try {
      return strip(await send());
    } catch (error) {
      throw mapAwsError(error, what);
    }
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

  listFirewalls(input: ListFirewallsRequest) {
    return this.call('ListFirewalls', () => this.client().send(new ListFirewallsCommand(input)));
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
