/** The `FlowOperation` fields the bot selects in both subscriptions. */
export interface FlowOperationEvent {
  firewallArn: string;
  availabilityZone?: string | null;
  vpcEndpointId?: string | null;
  vpcEndpointAssociationArn?: string | null;
  flowOperationId: string;
  flowOperationType?: string | null;
  flowOperationStatus?: string | null;
  statusMessage?: string | null;
}

export const FINAL_STATUSES: ReadonlySet<string> = new Set([
  'COMPLETED',
  'FAILED',
  'COMPLETED_WITH_ERRORS',
]);

export function isFinalStatus(status: string | null | undefined): boolean {
  return status != null && FINAL_STATUSES.has(status);
}

const EMOJI: Readonly<Record<string, string>> = {
  IN_PROGRESS: ':hourglass:',
  COMPLETED: ':white_check_mark:',
  COMPLETED_WITH_ERRORS: ':warning:',
  FAILED: ':x:',
};

/** AWS status messages are short; a long one would flood the channel. */
const MAX_STATUS_MESSAGE = 300;

/** `arn:aws:network-firewall:us-east-1:111122223333:firewall/demo` → `demo`; else the ARN itself. */
export function firewallNameFromArn(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const match = /^firewall\/(.+)$/.exec(resource);
  return match?.[1] ?? arn;
}

/**
 * Slack reads `&`, `<` and `>` as markup (`<url|label>`, `<!channel>`), so text that comes from
 * AWS or from the ARN must be escaped or it could ping a channel or render as a link.
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The zone, or for an operation scoped to a VPC endpoint association, that endpoint. */
function scopeOf(op: FlowOperationEvent): string | undefined {
  if (op.availabilityZone) return op.availabilityZone;
  if (op.vpcEndpointId) return op.vpcEndpointId;
  if (op.vpcEndpointAssociationArn) return op.vpcEndpointAssociationArn.split('/').pop();
  return undefined;
}

/**
 * One line per status change, e.g.
 * `:x: FLOW_CAPTURE 4ebf… on demo (us-east-1a) is FAILED: Flow timeout`.
 */
export function formatStatusChange(op: FlowOperationEvent): string {
  const status = op.flowOperationStatus ?? 'UNKNOWN';
  const emoji = EMOJI[status] ?? ':grey_question:';
  const type = op.flowOperationType ?? 'Flow operation';
  const scope = scopeOf(op);
  const where =
    escapeSlackText(firewallNameFromArn(op.firewallArn)) +
    (scope ? ` (${escapeSlackText(scope)})` : '');
  const message = op.statusMessage ? oneLine(op.statusMessage, MAX_STATUS_MESSAGE) : '';
  const suffix = message ? `: ${escapeSlackText(message)}` : '';
  return `${emoji} ${type} ${escapeSlackText(op.flowOperationId)} on ${where} is ${status}${suffix}`;
}
