/** The parts of a Network Firewall firewall ARN that routing and validation care about. */
export interface FirewallArnParts {
  partition: string;
  region: string;
  accountId: string;
  name: string;
}

// AWS: partition aws|aws-cn|aws-us-gov|aws-iso*; region like us-east-1; 12-digit account;
// firewall names are 1..128 of [a-zA-Z0-9-].
const FIREWALL_ARN =
  /^arn:(aws[a-z-]*):network-firewall:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):firewall\/([A-Za-z0-9-]{1,128})$/;

export function parseFirewallArn(arn: string): FirewallArnParts | undefined {
  const m = FIREWALL_ARN.exec(arn);
  if (!m) return undefined;
  return { partition: m[1]!, region: m[2]!, accountId: m[3]!, name: m[4]! };
}
