import { BadUserInputError } from './errors.js';
import type { FlowOperationKey } from './model.js';
import { deriveSealingKeys, open, seal } from './sealing.js';
import type { SealingKeys } from './sealing.js';

/** What a global id stands for: enough to load the object again and to authorize the caller. */
export type GlobalIdTarget =
  { type: 'Firewall'; firewallArn: string } | { type: 'FlowOperation'; key: FlowOperationKey };

// Longer than any id this gateway issues (two ARNs of 256 characters, sealed and base64url'd).
const MAX_ID_CHARS = 2048;
// Keys of their own from the same CURSOR_SECRET: an id is never accepted as a cursor, nor back.
const SALT = 'nfw-flow-gateway global id';
const LABELS = { encryption: 'v1 aes-256-gcm key', nonce: 'v1 synthetic nonce key' };
const VERSION = 1;

type Payload =
  | [typeof VERSION, 'Firewall', string]
  | [typeof VERSION, 'FlowOperation', string, string | null, string | null, string | null, string];

/**
 * Global ids are sealed like cursors (src/sealing.ts): deterministic, so the same object always
 * has the same id on every replica with the same CURSOR_SECRET (normalized caches key on it);
 * authenticated, so only ids this gateway issued are loaded; encrypted, so an id does not show the
 * firewall ARN, account or region to whoever it is pasted to. The payload is a fixed-order array,
 * so equal objects give byte-equal plaintexts.
 */
export class GlobalIdCodec {
  private readonly keys: SealingKeys;

  constructor(secret: Buffer) {
    this.keys = deriveSealingKeys(secret, SALT, LABELS);
  }

  firewall(firewallArn: string): string {
    return this.seal([VERSION, 'Firewall', firewallArn]);
  }

  /** The operation's scope is part of its id: it is what DescribeFlowOperation needs. */
  flowOperation(key: FlowOperationKey): string {
    return this.seal([
      VERSION,
      'FlowOperation',
      key.firewallArn,
      key.availabilityZone ?? null,
      key.vpcEndpointId ?? null,
      key.vpcEndpointAssociationArn ?? null,
      key.flowOperationId,
    ]);
  }

  /** Throws BAD_USER_INPUT naming `argumentPath` for any id this gateway did not issue. */
  decode(id: string, argumentPath: string): GlobalIdTarget {
    const plaintext = open(this.keys, id, MAX_ID_CHARS);
    let payload: unknown;
    try {
      payload = plaintext && JSON.parse(plaintext.toString('utf8'));
    } catch {
      payload = undefined;
    }
    const target = plaintext && toTarget(payload);
    if (!target) {
      throw new BadUserInputError(
        `${argumentPath} is not a global id issued by this gateway: read ids from an object's \`id\` field`,
        { argumentPath },
      );
    }
    return target;
  }

  private seal(payload: Payload): string {
    return seal(this.keys, Buffer.from(JSON.stringify(payload), 'utf8'));
  }
}

const text = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const optional = (v: unknown): v is string | null => v === null || text(v);

/** Only the shapes `seal` writes; anything else (another version, say) is not an id of ours. */
function toTarget(payload: unknown): GlobalIdTarget | undefined {
  if (!Array.isArray(payload) || payload[0] !== VERSION) return undefined;
  if (payload[1] === 'Firewall' && payload.length === 3 && text(payload[2])) {
    return { type: 'Firewall', firewallArn: payload[2] };
  }
  const [, type, firewallArn, zone, endpoint, association, operationId] = payload as unknown[];
  if (
    type !== 'FlowOperation' ||
    payload.length !== 7 ||
    !text(firewallArn) ||
    !optional(zone) ||
    !optional(endpoint) ||
    !optional(association) ||
    !text(operationId)
  ) {
    return undefined;
  }
  return {
    type: 'FlowOperation',
    key: {
      firewallArn,
      ...(zone ? { availabilityZone: zone } : {}),
      ...(endpoint ? { vpcEndpointId: endpoint } : {}),
      ...(association ? { vpcEndpointAssociationArn: association } : {}),
      flowOperationId: operationId,
    },
  };
}
