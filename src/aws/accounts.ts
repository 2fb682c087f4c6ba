import { readFileSync } from 'node:fs';
import { ConfigError } from '../config.js';
import { REGION } from './arn.js';

/** One entry of NFW_ACCOUNTS_FILE: an account the gateway reaches by assuming a role in it. */
export interface AccountEntry {
  accountId: string;
  roleArn: string;
  /** Regions of this account that `firewalls` spans and calls may reach; default NFW_REGIONS. */
  regions?: string[];
  /** The ExternalId the role's trust policy requires, if any. */
  externalId?: string;
}

const ACCOUNT = /^\d{12}$/;
const ROLE = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/**
 * Reads and checks the accounts file at start-up, so that a typo stops the gateway with a message
 * naming the entry rather than failing on the first call to that account.
 */
export function loadAccountsFile(path: string): AccountEntry[] {
  const fail = (message: string): never => {
    throw new ConfigError('NFW_ACCOUNTS_FILE', `${path}: ${message}`);
  };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return fail(`cannot read it as JSON (${(error as Error).message})`);
  }
  const accounts = (raw as { accounts?: unknown }).accounts;
  if (!Array.isArray(accounts)) return fail('expected {"accounts": [...]}');
  const seen = new Set<string>();
  return accounts.map((entry: unknown, i): AccountEntry => {
    const e = entry as Partial<Record<keyof AccountEntry, unknown>>;
    const where = `accounts[${i}]`;
    if (typeof e.accountId !== 'string' || !ACCOUNT.test(e.accountId)) {
      return fail(`${where}.accountId must be a 12-digit account id`);
    }
    if (seen.has(e.accountId)) return fail(`${where}: account ${e.accountId} is listed twice`);
    seen.add(e.accountId);
    const role = typeof e.roleArn === 'string' ? ROLE.exec(e.roleArn) : null;
    if (!role)
      return fail(`${where}.roleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)`);
    if (role[1] !== e.accountId) {
      return fail(`${where}.roleArn is a role in account ${role[1]}, not ${e.accountId}`);
    }
    const result: AccountEntry = { accountId: e.accountId, roleArn: e.roleArn as string };
    if (e.regions !== undefined) {
      if (
        !Array.isArray(e.regions) ||
        e.regions.some((r) => typeof r !== 'string' || !REGION.test(r))
      ) {
        return fail(`${where}.regions must be a list of region names such as eu-west-1`);
      }
      result.regions = [...new Set(e.regions as string[])].sort();
    }
    if (e.externalId !== undefined) {
      if (typeof e.externalId !== 'string' || e.externalId === '')
        return fail(`${where}.externalId must be a string`);
      result.externalId = e.externalId;
    }
    return result;
  });
}
