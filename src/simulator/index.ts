export { createSimulator } from './server.js';
export type { Simulator, SimulatorOptions } from './server.js';
export type { RequestLog } from './request-log.js';
export type { OperationInfo } from './control.js';
export { OPERATIONS } from './protocol.js';

/** ARNs of the seeded firewalls, for tests and examples. */
export const DEMO_FIREWALL_ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
export const PROD_EGRESS_FIREWALL_ARN =
  'arn:aws:network-firewall:us-east-1:111122223333:firewall/prod-egress';
export const DEMO_ASSOCIATION_ARN =
  'arn:aws:network-firewall:us-east-1:111122223333:vpc-endpoint-association/demo-assoc';
