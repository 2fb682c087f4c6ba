export { createSimulator } from './server.js';
export type { Simulator, SimulatorOptions } from './server.js';
export type { RequestLog, RequestLogEntry } from './request-log.js';
export type { FaultController, FaultSpec } from './faults.js';
export type { FirewallInfo, OperationInfo, ScopeSelector, SimulatorControl } from './control.js';
export type { FlowInput, NextOutcome } from './state.js';
export type {
  FinalStatus,
  FlowOperationStatus,
  FlowOperationType,
  WireFlow,
  WireFlowFilter,
} from './model.js';
export { DEMO_FIREWALLS, firewallArnOf, associationArnOf } from './demo-data.js';
export {
  DEFAULT_MAX_RESULTS,
  MAX_FLOW_FILTERS,
  MAX_MAX_RESULTS,
  MIN_MAX_RESULTS,
} from './validation.js';
export { OPERATIONS, TARGET_PREFIX } from './protocol.js';
export type { OperationName } from './protocol.js';

/** ARNs of the seeded firewalls, for tests and examples. */
export const DEMO_FIREWALL_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
export const PROD_EGRESS_FIREWALL_ARN =
  'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';
export const EU_INSPECTION_FIREWALL_ARN =
  'arn:aws:network-firewall:eu-west-1:444455556666:firewall/eu-inspection';
export const LAB_FIREWALL_ARN = 'arn:aws:network-firewall:us-west-2:111122223333:firewall/lab';
export const DEMO_ASSOCIATION_ARN =
  'arn:aws:network-firewall:us-east-1:111122223333:vpc-endpoint-association/demo-assoc';
export const DEMO_ASSOCIATION_ENDPOINT_ID = 'vpce-0demo0assoc000001';
