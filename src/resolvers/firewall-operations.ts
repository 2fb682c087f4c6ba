import type {
  DescribeFirewallResponse,
  FlowOperationMetadata,
} from '@aws-sdk/client-network-firewall';
import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import { partialListError } from '../reported-errors.js';
import type { GatewayContext } from '../context.js';
import type { GatewayError } from '../errors.js';
import { mapAwsError } from '../errors.js';
import type { FlowOperationType } from '../generated/graphql.js';
import type { Connection, FlowOperationModel } from '../model.js';
import { flowOperationsRequest } from '../model.js';
import { MAX_PAGE_SIZE, paginate } from '../pagination.js';
import { operationFromMetadata } from './FlowOperation.js';

/** The zones a firewall has endpoints in (sync states) or declares up front (zone mappings). */
export function firewallZones(described: DescribeFirewallResponse): string[] {
  const fromSync = Object.keys(described.FirewallStatus?.SyncStates ?? {});
  // Newer firewalls declare zones up front; sync states only list zones with an endpoint.
  const declared = (described.Firewall?.AvailabilityZoneMappings ?? [])
    .map((m) => m.AvailabilityZone)
    .filter((az): az is string => Boolean(az));
  return [...new Set([...fromSync, ...declared])].sort();
}

/**
 * Where one zone's listing stands: the AWS page (`t`, null for the first) and how many of its
 * items are already merged (`o`). A zone that is done, or failed, is left out of the list.
 */
interface ZonePosition {
  z: string;
  t: string | null;
  o: number;
}

/** A zone being merged: its position and the AWS page fetched from `t`. */
interface ZoneWindow extends ZonePosition {
  items: FlowOperationMetadata[];
  next: string | undefined;
}

function timeOf(item: FlowOperationMetadata | undefined): number {
  const at = item?.FlowRequestTimestamp;
  return at === undefined ? -Infinity : new Date(at).getTime();
}

/** The positions after what was merged so far: an exhausted page moves on to its NextToken. */
function positions(zones: readonly ZoneWindow[]): string {
  const at: ZonePosition[] = [];
  for (const w of zones) {
    if (w.o < w.items.length) at.push({ z: w.z, t: w.t, o: w.o });
    else if (w.next) at.push({ z: w.z, t: w.next, o: 0 });
  }
  return JSON.stringify(at);
}

/**
 * `Firewall.flowOperations` with no scope: AWS lists one zone at a time (ListFlowOperations wants
 * the zone of a firewall in several), so this lists each zone of the firewall and merges them
 * newest first. It is a multi-source list like `firewalls` (src/resolvers/firewalls.ts), through
 * the same `paginate` and encrypted cursors, with one difference: the sources are interleaved,
 * not read one after the other, so an edge's cursor holds every zone's position after that edge.
 * A zone that fails is reported at the field, beside the other zones' operations, and left out
 * of the cursors of what follows, as a failed source of `firewalls` is (docs/pagination.md).
 */
export function listFirewallOperations(
  ctx: GatewayContext,
  firewallArn: string,
  args: {
    flowOperationType?: FlowOperationType | null;
    first?: number | null;
    after?: string | null;
  },
  info: GraphQLResolveInfo,
): Promise<Connection<FlowOperationModel>> {
  const type = args.flowOperationType ?? undefined;
  return paginate(
    ctx.cursors,
    {
      first: args.first,
      after: args.after,
      defaultFirst: 20,
      kind: 'flowOperations',
      scope: `${JSON.stringify([firewallArn, 'every zone'])}#${type ?? ''}`,
    },
    async (token, wanted) => {
      const start: ZonePosition[] = token
        ? (JSON.parse(token) as ZonePosition[])
        : firewallZones(await ctx.loaders.firewall.load(firewallArn)).map((z) => ({
            z,
            t: null,
            o: 0,
          }));
      const failures: { zone: string; error: GatewayError }[] = [];
      // Fetches a window of each zone given, concurrently; the zones that failed are dropped.
      const load = async (zones: ZoneWindow[], need: number): Promise<ZoneWindow[]> => {
        const loaded = await Promise.all(
          zones.map(async (w) => {
            try {
              const page = await ctx.loaders.flowOperations.load(
                flowOperationsRequest(
                  { firewallArn, availabilityZone: w.z },
                  type,
                  w.t,
                  // AWS refuses MaxResults 0, whatever a caller's `first`.
                  Math.max(1, Math.min(MAX_PAGE_SIZE, w.o + need)),
                ),
              );
              return { ...w, items: page.FlowOperations ?? [], next: page.NextToken };
            } catch (error) {
              failures.push({ zone: w.z, error: mapAwsError(error, 'ListFlowOperations') });
              return undefined;
            }
          }),
        );
        return loaded.filter((w): w is ZoneWindow => w !== undefined);
      };

      let zones = await load(
        start.map((p) => ({ ...p, items: [], next: undefined })),
        wanted,
      );
      const items: FlowOperationModel[] = [];
      const resumeTokens: string[] = [];
      // Bounds the AWS calls of one page, should AWS keep answering empty pages with a token.
      let refills = 0;
      while (items.length < wanted) {
        // Every zone needs its next item at hand before the newest of them can be picked.
        const exhausted = zones.filter((w) => w.o >= w.items.length);
        if (exhausted.length > 0) {
          if (++refills > 20) break;
          const refill = exhausted
            .filter((w) => w.next)
            .map((w) => ({ z: w.z, t: w.next ?? null, o: 0, items: [], next: undefined }));
          const refilled = await load(refill, wanted - items.length);
          zones = zones
            .map((w) => (w.o < w.items.length ? w : refilled.find((r) => r.z === w.z)))
            .filter((w): w is ZoneWindow => w !== undefined);
          continue;
        }
        if (zones.length === 0) break;
        let newest = zones[0]!;
        for (const w of zones)
          if (timeOf(w.items[w.o]) > timeOf(newest.items[newest.o])) newest = w;
        items.push(
          operationFromMetadata(
            { firewallArn, availabilityZone: newest.z },
            newest.items[newest.o]!,
          ),
        );
        newest.o += 1;
        resumeTokens.push(positions(zones));
      }

      if (items.length === 0 && failures.length > 0 && failures.length === start.length) {
        // Nothing could be listed: the field fails (null, one error) as a one-zone listing would.
        throw failures[0]!.error;
      }
      for (const { zone, error } of failures) ctx.reportError(zoneError(zone, error, info));
      const rest = positions(zones);
      return { items, resumeTokens, nextToken: rest === '[]' ? undefined : rest };
    },
  );
}

/** The caller may read this firewall, so its zone is named: it is what they would retry with. */
function zoneError(zone: string, cause: GatewayError, info: GraphQLResolveInfo): GraphQLError {
  return partialListError(
    info,
    `The flow operations of ${zone}`,
    "the operations of the firewall's other zones",
    cause,
    { availabilityZone: zone },
  );
}
