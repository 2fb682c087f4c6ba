import type {
  DescribeFlowOperationResponse,
  FlowFilter,
  FlowOperationType,
  StartFlowCaptureRequest,
  StartFlowFlushRequest,
} from '@aws-sdk/client-network-firewall';
import { GatewayError, OutcomeUnknownError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { NetworkFirewallApi, StartResult } from './network-firewall-api.js';
import type { Target } from './routing.js';

type StartRequest = StartFlowCaptureRequest | StartFlowFlushRequest;

/** AWS's clock and the gateway's may differ by this much; NTP keeps them well within it. */
const DEFAULT_CLOCK_SKEW_MS = 2000;
/** ListFlowOperations pages (of 100) searched for the start: a window of seconds holds far fewer. */
const MAX_PAGES = 3;
/** Candidates of the right type in the window worth describing; more is a busy scope: ambiguous. */
const MAX_CANDIDATES = 10;

export interface ReconcilerOptions {
  clockSkewMs?: number;
  clock?: () => number;
  logger?: Logger;
}

/** What listing found: the one operation that is this start, or why it cannot be named. */
type Finding =
  | { kind: 'found'; operation: DescribeFlowOperationResponse }
  | { kind: 'none' }
  | { kind: 'several'; ids: string[] }
  | { kind: 'inconclusive'; why: string };

/**
 * Sits on the upstream below the read cache (so that its reads go to AWS, never to a cached or
 * shared answer) and above the SDK layer, which fails a start whose answer was lost with
 * OutcomeUnknownError. It then looks for the operation the start may have created: in the same
 * scope, of the same type, requested since just before the start was sent, with the same filters
 * and minimum age. Exactly one such operation is returned as the start's answer (`reconciled`);
 * otherwise the caller gets OUTCOME_UNKNOWN with what it needs to look for itself. Finding none
 * proves nothing (AWS's lists may lag behind a start), so it is never reported as a failure.
 */
export class ReconcilingNetworkFirewallApi implements NetworkFirewallApi {
  private readonly clockSkewMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly inner: NetworkFirewallApi,
    private readonly options: ReconcilerOptions = {},
  ) {
    this.clockSkewMs = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
    this.clock = options.clock ?? Date.now;
  }

  describeFlowOperation: NetworkFirewallApi['describeFlowOperation'] = (input, target) =>
    this.inner.describeFlowOperation(input, target);
  listFlowOperations: NetworkFirewallApi['listFlowOperations'] = (input, target) =>
    this.inner.listFlowOperations(input, target);
  listFlowOperationResults: NetworkFirewallApi['listFlowOperationResults'] = (input, target) =>
    this.inner.listFlowOperationResults(input, target);
  listFirewalls: NetworkFirewallApi['listFirewalls'] = (input, target) =>
    this.inner.listFirewalls(input, target);
  describeFirewall: NetworkFirewallApi['describeFirewall'] = (input, target) =>
    this.inner.describeFirewall(input, target);

  startFlowCapture: NetworkFirewallApi['startFlowCapture'] = (input, target) =>
    this.start('FLOW_CAPTURE', input, target, () => this.inner.startFlowCapture(input, target));

  startFlowFlush: NetworkFirewallApi['startFlowFlush'] = (input, target) =>
    this.start('FLOW_FLUSH', input, target, () => this.inner.startFlowFlush(input, target));

  destroy(): void {
    this.inner.destroy();
  }

  private async start<T extends { FlowOperationId?: string }>(
    type: FlowOperationType,
    input: StartRequest,
    target: Target,
    send: () => Promise<StartResult<T>>,
  ): Promise<StartResult<T>> {
    // Taken before sending: the window must cover the moment AWS may have recorded the start.
    const sentAt = this.clock();
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof OutcomeUnknownError)) throw error;
      const since = sentAt - this.clockSkewMs;
      const finding = await this.find(type, input, target, since);
      this.options.logger?.warn(
        {
          flowOperationType: type,
          firewallArn: input.FirewallArn,
          finding: finding.kind,
          ...(finding.kind === 'found'
            ? { flowOperationId: finding.operation.FlowOperationId }
            : {}),
          ...(finding.kind === 'several' ? { candidates: finding.ids } : {}),
          ...(finding.kind === 'inconclusive' ? { why: finding.why } : {}),
        },
        `Start outcome unknown (${error.message}); reconciled by listing: ${finding.kind}`,
      );
      if (finding.kind === 'found') {
        const { FirewallArn, FlowOperationId, FlowOperationStatus } = finding.operation;
        return {
          ...(FirewallArn ? { FirewallArn } : {}),
          FlowOperationId,
          ...(FlowOperationStatus ? { FlowOperationStatus } : {}),
          reconciled: true,
        } as StartResult<T>;
      }
      throw unknownOutcome(error, type, since, finding);
    }
  }

  /** Lists the scope newest first down to `since`, then describes the candidates of that window. */
  private async find(
    type: FlowOperationType,
    input: StartRequest,
    // The start's own target: the lists look where the start was sent.
    target: Target,
    since: number,
  ): Promise<Finding> {
    const scope = {
      FirewallArn: input.FirewallArn,
      ...(input.AvailabilityZone ? { AvailabilityZone: input.AvailabilityZone } : {}),
      ...(input.VpcEndpointId ? { VpcEndpointId: input.VpcEndpointId } : {}),
      ...(input.VpcEndpointAssociationArn
        ? { VpcEndpointAssociationArn: input.VpcEndpointAssociationArn }
        : {}),
    };
    try {
      const candidates: string[] = [];
      let token: string | undefined;
      let reachedOlder = false;
      for (let page = 0; page < MAX_PAGES && !reachedOlder; page++) {
        const listed = await this.inner.listFlowOperations(
          {
            ...scope,
            FlowOperationType: type,
            MaxResults: 100,
            ...(token ? { NextToken: token } : {}),
          },
          target,
        );
        for (const item of listed.FlowOperations ?? []) {
          const at = item.FlowRequestTimestamp?.getTime();
          // Lists are newest first; an item without a timestamp cannot be ruled out.
          if (at !== undefined && at < since) reachedOlder = true;
          else if (item.FlowOperationId && (item.FlowOperationType ?? type) === type) {
            candidates.push(item.FlowOperationId);
          }
        }
        token = listed.NextToken;
        if (!token) reachedOlder = true;
      }
      if (!reachedOlder) {
        return { kind: 'inconclusive', why: `more than ${MAX_PAGES * 100} recent operations` };
      }
      if (candidates.length > MAX_CANDIDATES) {
        return { kind: 'inconclusive', why: `${candidates.length} operations in the window` };
      }
      const described = await Promise.all(
        candidates.map((id) =>
          this.inner.describeFlowOperation({ ...scope, FlowOperationId: id }, target),
        ),
      );
      const matches = described.filter(
        (d) => d.FlowOperationType === type && sameOperation(d, input),
      );
      if (matches.length === 1) return { kind: 'found', operation: matches[0]! };
      if (matches.length === 0) return { kind: 'none' };
      return { kind: 'several', ids: matches.map((m) => m.FlowOperationId ?? '') };
    } catch (error) {
      const code = error instanceof GatewayError ? error.code : 'INTERNAL_SERVER_ERROR';
      return { kind: 'inconclusive', why: `listing failed (${code})` };
    }
  }
}

// The same filter as AWS may echo it back: an omitted port is ANY, protocols are a set, IPv6 text
// is case-insensitive. Any other difference (e.g. a CIDR AWS rewrote) counts as another filter,
// which can only turn a match into OUTCOME_UNKNOWN, never the converse.
function filterKey(filter: FlowFilter): string {
  return JSON.stringify([
    filter.SourceAddress?.AddressDefinition?.toLowerCase() ?? null,
    filter.DestinationAddress?.AddressDefinition?.toLowerCase() ?? null,
    filter.SourcePort ?? 'ANY',
    filter.DestinationPort ?? 'ANY',
    [...new Set(filter.Protocols ?? [])].sort(),
  ]);
}

function filtersKey(filters: FlowFilter[] | undefined): string {
  return JSON.stringify((filters ?? []).map(filterKey).sort());
}

function sameOperation(described: DescribeFlowOperationResponse, input: StartRequest): boolean {
  const operation = described.FlowOperation;
  return (
    (operation?.MinimumFlowAgeInSeconds ?? 0) === (input.MinimumFlowAgeInSeconds ?? 0) &&
    filtersKey(operation?.FlowFilters) === filtersKey(input.FlowFilters)
  );
}

function unknownOutcome(
  error: OutcomeUnknownError,
  type: FlowOperationType,
  since: number,
  finding: Exclude<Finding, { kind: 'found' }>,
): OutcomeUnknownError {
  const sinceIso = new Date(since).toISOString();
  const what =
    finding.kind === 'none'
      ? 'No operation with the same filters is listed yet (AWS may list it later)'
      : finding.kind === 'several'
        ? `${finding.ids.length} operations with the same filters were started since ${sinceIso}: ${finding.ids.join(', ')}`
        : `The gateway could not look for it: ${finding.why}`;
  return new OutcomeUnknownError(
    `${error.message}. ${what}. Do not start it again before looking: query ` +
      `flowOperations(firewallArn, and the availabilityZone, vpcEndpointId or ` +
      `vpcEndpointAssociationArn of this start, flowOperationType: ${type}) and look for an ` +
      `operation with flowRequestTimestamp at or after ${sinceIso} and the same flowFilters and ` +
      `minimumFlowAgeInSeconds.`,
    {
      ...error.extensions,
      requestedAt: String(error.extensions.requestedAt),
      flowOperationType: type,
      since: sinceIso,
      ...(finding.kind === 'several' ? { candidates: finding.ids } : {}),
    },
  );
}
