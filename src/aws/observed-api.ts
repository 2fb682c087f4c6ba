import { performance } from 'node:perf_hooks';
import { ErrorCode, GatewayError, awsMessageOf } from '../errors.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics/registry.js';
import { countAwsCall } from '../observability/request-context.js';
import type { NetworkFirewallApi } from './network-firewall-api.js';

// Callers' mistakes are routine; only failures of AWS or of the gateway's identity warrant a warning.
const CALLER_CODES: ReadonlySet<string> = new Set([ErrorCode.BAD_USER_INPUT, ErrorCode.NOT_FOUND]);

/**
 * Sits directly on the SDK-backed upstream, below the caching layer, so that it counts and logs
 * exactly the calls that reach AWS. Log lines carry the request id through the logger's mixin.
 */
export class ObservedNetworkFirewallApi implements NetworkFirewallApi {
  constructor(
    private readonly inner: NetworkFirewallApi,
    private readonly logger: Logger,
    private readonly metrics: GatewayMetrics | undefined,
  ) {}

  private async observe<T>(operation: string, call: () => Promise<T>): Promise<T> {
    // Charged to the request whose context the call runs in, for its upstream budget.
    countAwsCall();
    const started = performance.now();
    const elapsedMs = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      const value = await call();
      const durationMs = elapsedMs();
      this.record(operation, 'ok', durationMs);
      this.logger.debug({ awsOperation: operation, durationMs, outcome: 'ok' }, `AWS ${operation}`);
      return value;
    } catch (error) {
      const durationMs = elapsedMs();
      const code = error instanceof GatewayError ? error.code : ErrorCode.INTERNAL_SERVER_ERROR;
      this.record(operation, code, durationMs);
      const extensions = error instanceof GatewayError ? error.extensions : {};
      this.logger[CALLER_CODES.has(code) ? 'debug' : 'warn'](
        {
          awsOperation: operation,
          durationMs,
          outcome: code,
          awsErrorName: extensions.awsErrorName,
          awsRequestId: extensions.awsRequestId,
          // AWS's own text, which responses no longer carry: the operator needs it to fix IAM.
          awsMessage: awsMessageOf(error),
        },
        `AWS ${operation} failed: ${(error as Error).message}`,
      );
      throw error;
    }
  }

  private record(operation: string, outcome: string, durationMs: number): void {
    if (!this.metrics) return;
    this.metrics.awsCalls.inc({ operation, outcome });
    this.metrics.awsDuration.observe({ operation }, durationMs / 1000);
    if (outcome === String(ErrorCode.THROTTLED)) this.metrics.awsThrottles.inc({ operation });
  }

  describeFlowOperation: NetworkFirewallApi['describeFlowOperation'] = (input, target) =>
    this.observe('DescribeFlowOperation', () => this.inner.describeFlowOperation(input, target));

  listFlowOperations: NetworkFirewallApi['listFlowOperations'] = (input, target) =>
    this.observe('ListFlowOperations', () => this.inner.listFlowOperations(input, target));

  listFlowOperationResults: NetworkFirewallApi['listFlowOperationResults'] = (input, target) =>
    this.observe('ListFlowOperationResults', () =>
      this.inner.listFlowOperationResults(input, target),
    );

  startFlowCapture: NetworkFirewallApi['startFlowCapture'] = (input, target) =>
    this.observe('StartFlowCapture', () => this.inner.startFlowCapture(input, target));

  startFlowFlush: NetworkFirewallApi['startFlowFlush'] = (input, target) =>
    this.observe('StartFlowFlush', () => this.inner.startFlowFlush(input, target));

  listFirewalls: NetworkFirewallApi['listFirewalls'] = (input, target) =>
    this.observe('ListFirewalls', () => this.inner.listFirewalls(input, target));

  describeFirewall: NetworkFirewallApi['describeFirewall'] = (input, target) =>
    this.observe('DescribeFirewall', () => this.inner.describeFirewall(input, target));

  destroy(): void {
    this.inner.destroy();
  }
}
