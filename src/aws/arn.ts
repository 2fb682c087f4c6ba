/** The parts of a Network Firewall firewall ARN that routing and validation care about. */
export interface FirewallArnParts {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

const REGION_SOURCE = '[a-z]{2}(?:-[a-z]+)+-\\d+';

/** A region name such as `us-east-1` or `us-gov-west-1`. */
export const REGION = new RegExp(`^${REGION_SOURCE}$`);

// AWS: partition aws|aws-cn|aws-us-gov|aws-iso*; 12-digit account; firewall names are 1..128 of
// [a-zA-Z0-9-].
const FIREWALL_ARN = new RegExp(
  `^arn:(aws[a-z-]*):network-firewall:(${REGION_SOURCE}):(\\d{12}):firewall/([A-Za-z0-9-]{1,128})$`,
);

/**
 * AWS's own bound on a firewall ARN (API reference, FirewallMetadata.FirewallArn: 1 to 256). Checked
 * before the regex and before any pattern matching, so no work is ever proportional to what a
 * caller sent beyond this.
 */
export const MAX_FIREWALL_ARN_LENGTH = 256;

export function parseFirewallArn(arn: string): FirewallArnParts | undefined {
  if (arn.length > MAX_FIREWALL_ARN_LENGTH) return undefined;
  const m = FIREWALL_ARN.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, region: m[2]!, accountId: m[3]!, name: m[4]! };
}
