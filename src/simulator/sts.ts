import { randomBytes } from 'node:crypto';
import { newRequestId } from './protocol.js';

/**
 * A fake STS (AssumeRole only, AWS Query protocol: form-encoded POST, XML answer), so that the
 * gateway's per-account role mapping runs through the SDK's real temporary-credentials provider.
 * Keys it issues are remembered with their account, and Network Firewall calls signed with them
 * may only touch that account's firewalls, as IAM would enforce.
 */
export interface AssumedIdentity {
  accountId: string;
  roleArn: string;
  sessionName: string;
  expiresAt: number;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export interface StsAnswer {
  status: number;
  body: string;
  operation: string;
  input: Record<string, unknown>;
  errorType?: string;
}

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export class StsIdentities {
  private readonly identities = new Map<string, AssumedIdentity>();

  constructor(private readonly clock: () => number) {}

  accountOf(accessKeyId: string | undefined): string | undefined {
    if (!accessKeyId) return undefined;
    const identity = this.identities.get(accessKeyId);
    return identity && identity.expiresAt > this.clock() ? identity.accountId : undefined;
  }

  isAssumedKey(accessKeyId: string | undefined): boolean {
    return accessKeyId !== undefined && this.identities.has(accessKeyId);
  }

  handle(form: URLSearchParams): StsAnswer {
    const action = form.get('Action') ?? '';
    const input = Object.fromEntries(form.entries());
    if (action !== 'AssumeRole') {
      return this.error(action, input, 400, 'InvalidAction', `Could not find operation ${action}`);
    }
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    const duration = Number(form.get('DurationSeconds') ?? '3600');
    const account = ROLE_ARN.exec(roleArn)?.[1];
    if (!account)
      return this.error(
        action,
        input,
        400,
        'ValidationError',
        `RoleArn ${roleArn} is not a valid IAM role ARN`,
      );
    if (!SESSION_NAME.test(sessionName)) {
      return this.error(
        action,
        input,
        400,
        'ValidationError',
        'RoleSessionName must be 2 to 64 characters of [\\w+=,.@-]',
      );
    }
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
      return this.error(
        action,
        input,
        400,
        'ValidationError',
        'DurationSeconds must be from 900 to 43200',
      );
    }
    const accessKeyId = `ASIA${account}${randomBytes(2).toString('hex').toUpperCase()}`;
    const expiresAt = this.clock() + duration * 1000;
    this.identities.set(accessKeyId, { accountId: account, roleArn, sessionName, expiresAt });
    const roleName = roleArn.split('/').pop() ?? 'role';
    const body = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <AssumedRoleUser>
      <AssumedRoleId>AROA${account}:${xmlEscape(sessionName)}</AssumedRoleId>
      <Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(roleName)}/${xmlEscape(sessionName)}</Arn>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>${accessKeyId}</AccessKeyId>
      <SecretAccessKey>${randomBytes(20).toString('base64')}</SecretAccessKey>
      <SessionToken>${randomBytes(32).toString('base64')}</SessionToken>
      <Expiration>${new Date(expiresAt).toISOString()}</Expiration>
    </Credentials>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>${newRequestId()}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;
    return { status: 200, body, operation: 'AssumeRole', input };
  }

  /** An STS error answer to a request, for fault injection. */
  refuse(form: URLSearchParams, status: number, code: string, message: string): StsAnswer {
    return this.error(
      form.get('Action') ?? '',
      Object.fromEntries(form.entries()),
      status,
      code,
      message,
    );
  }

  private error(
    operation: string,
    input: Record<string, unknown>,
    status: number,
    code: string,
    message: string,
  ): StsAnswer {
    const body = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>
  <RequestId>${newRequestId()}</RequestId>
</ErrorResponse>`;
    return { status, body, operation: operation || 'STS', input, errorType: code };
  }
}
