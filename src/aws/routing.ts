import { ForbiddenError } from '../errors.js';
import type { AccountEntry } from './accounts.js';
import type { FirewallArnParts } from './arn.js';

/** Where one AWS call goes: a region, and the account whose role signs it (none: default credentials). */
export interface Target {
  region: string | undefined;
  account: AccountEntry | undefined;
}

export interface RoutingSettings {
  /** NFW_REGIONS: regions reachable with the default credentials; empty means the SDK's default region only. */
  regions: readonly string[];
  accounts: readonly AccountEntry[];
  /** The account of the default credentials, when known; other unmapped accounts are refused. */
  defaultAccountId: string | undefined;
  defaultRegion: string | undefined;
}

/**
 * Decides, from a firewall ARN's parts alone, which region and which credentials a call uses, and
 * refuses (FORBIDDEN) an ARN in an account or region the gateway is not set up for, naming the
 * setting that would allow it. Called by the request's targets (src/auth/targets.ts) right after
 * `authorize`, never by the AWS layer: a refusal is the caller's answer, not a failed AWS call.
 */
export class Router {
  private readonly accounts: Map<string, AccountEntry>;

  constructor(private readonly settings: RoutingSettings) {
    this.accounts = new Map(settings.accounts.map((a) => [a.accountId, a]));
  }

  forArn(parts: FirewallArnParts, argumentPath: string): Target {
    const account = this.accounts.get(parts.accountId);
    if (
      !account &&
      this.settings.defaultAccountId &&
      parts.accountId !== this.settings.defaultAccountId
    ) {
      throw new ForbiddenError(
        `Account ${parts.accountId} is not configured: add it with a role to assume to NFW_ACCOUNTS_FILE`,
        { argumentPath },
      );
    }
    const allowed = account?.regions ?? this.defaultRegions();
    if (allowed.length > 0 && !allowed.includes(parts.region)) {
      throw new ForbiddenError(
        account?.regions
          ? `Region ${parts.region} is not configured for account ${parts.accountId}: add it to that account's "regions" in NFW_ACCOUNTS_FILE`
          : `Region ${parts.region} is not configured: add it to NFW_REGIONS`,
        { argumentPath },
      );
    }
    return { region: parts.region, account };
  }

  /** Every (account, region) that `firewalls` spans, in a stable order (cursors index into it). */
  listTargets(region?: string): Target[] {
    const targets: Target[] = [];
    const defaults = this.defaultRegions();
    // The gateway's own region first: its firewalls are the ones most callers look for.
    const own = this.settings.defaultRegion;
    const ordered = [...defaults].sort((a, b) => Number(b === own) - Number(a === own));
    for (const r of ordered.length > 0 ? ordered : [own]) {
      targets.push({ region: r, account: undefined });
    }
    for (const account of [...this.accounts.values()].sort((a, b) =>
      a.accountId < b.accountId ? -1 : 1,
    )) {
      for (const r of account.regions ?? defaults) targets.push({ region: r, account });
    }
    return region === undefined ? targets : targets.filter((t) => t.region === region);
  }

  private defaultRegions(): readonly string[] {
    if (this.settings.regions.length > 0) return this.settings.regions;
    return this.settings.defaultRegion ? [this.settings.defaultRegion] : [];
  }
}

export function targetKey(target: Target): string {
  return `${target.region ?? ''}|${target.account?.accountId ?? ''}`;
}
