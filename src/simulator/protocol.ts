import { randomUUID } from 'node:crypto';
import { stringifyExact } from './exact-json.js';
import type { ServerResponse } from 'node:http';
import type { SimulatorError } from './errors.js';

export const TARGET_PREFIX = 'NetworkFirewall_20201112.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
export const DEFAULT_REGION = 'us-east-1';

export const OPERATIONS = [
  'StartFlowCapture',
  'StartFlowFlush',
  'DescribeFlowOperation',
  'ListFlowOperations',
  'ListFlowOperationResults',
  'ListFirewalls',
  'DescribeFirewall',
] as const;
export type OperationName = (typeof OPERATIONS)[number];

function isOperationName(name: string): name is OperationName {
  return (OPERATIONS as readonly string[]).includes(name);
}

/** The operation named by `X-Amz-Target`, or the raw text when it names none we serve. */
export function parseTarget(
  header: string | undefined,
): { known: true; operation: OperationName } | { known: false; operation: string } {
  if (header === undefined || !header.startsWith(TARGET_PREFIX)) {
    return { known: false, operation: header ?? '' };
  }
  const operation = header.slice(TARGET_PREFIX.length);
  return isOperationName(operation) ? { known: true, operation } : { known: false, operation };
}

export interface SigningScope {
  accessKeyId?: string;
  region?: string;
  service?: string;
}

/**
 * Reads the credential scope of a SigV4 `Authorization` header. Signatures are not verified:
 * the simulator only needs to know which region (and key) the caller signed for.
 */
export function parseAuthorization(header: string | undefined): SigningScope {
  if (!header) return {};
  const match = /Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/.exec(header);
  if (!match) return {};
  return { accessKeyId: match[1], region: match[3], service: match[4] };
}

export function newRequestId(): string {
  return randomUUID();
}

/** AWS JSON protocols carry timestamps as epoch seconds, fractions allowed. */
export function toEpochSeconds(ms: number): number {
  return ms / 1000;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
): void {
  const text = stringifyExact(body);
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': requestId,
  });
  res.end(text);
}

export function errorBody(error: SimulatorError): { __type: string; message: string } {
  return { __type: error.name, message: error.message };
}
