import type { FirewallArnParts } from '../aws/arn.js';
import type { Router, Target } from '../aws/routing.js';
import type { RouteArn } from '../loaders/index.js';
import { validateFirewallArn } from '../validation/inputs.js';

/** A firewall ARN read once: its parts, and where its calls go once routing has accepted it. */
interface Resolved {
  parts: FirewallArnParts;
  target: Target | undefined;
}

/**
 * Past this many distinct ARNs a request resolves each further one without keeping it: the memo
 * is per request, and its size must not be the caller's to choose (a `nodes` list, aliases).
 * Far above what one admitted document names (MAX_NODE_IDS is 100).
 */
const MAX_REMEMBERED = 512;

/**
 * The one place a firewall ARN is parsed and routed, once per ARN per request (HTTP request,
 * websocket subscription, or poll tick). `authorize` asks it first, so a refused region or account
 * is the caller's FORBIDDEN before any loader or AWS call; the loaders then ask it for the target
 * each AWS call is sent to, which is a lookup. The AWS layer is handed that target and neither
 * parses nor checks the ARN again.
 */
export class RequestTargets {
  private readonly known = new Map<string, Resolved>();

  constructor(private readonly router: Router) {}

  /** The ARN's parts; BAD_USER_INPUT at `path` when it is not a firewall ARN. */
  parts(arn: string, path: string): FirewallArnParts {
    return this.entry(arn, path).parts;
  }

  /** Where calls for this ARN go; FORBIDDEN at `path` for an account or region not set up. */
  target(arn: string, path: string): Target {
    const entry = this.entry(arn, path);
    return (entry.target ??= this.router.forArn(entry.parts, path));
  }

  private entry(arn: string, path: string): Resolved {
    const known = this.known.get(arn);
    if (known) return known;
    const entry: Resolved = { parts: validateFirewallArn(arn, path), target: undefined };
    if (this.known.size < MAX_REMEMBERED) this.known.set(arn, entry);
    return entry;
  }
}

/**
 * Routing for work outside any request, such as one subscription poll tick: each ARN the tick's
 * loaders reach is routed once for the tick (every one was authorized when its topic began).
 */
export function routeArns(router: Router): RouteArn {
  const targets = new RequestTargets(router);
  return (arn) => targets.target(arn, 'firewallArn');
}
