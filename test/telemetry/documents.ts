/** The operations whose traces the telemetry tests follow. */

export const START = `mutation Start($input: StartFlowOperationInput!) {
  startFlowCapture(input: $input) { flowOperationId }
}`;

export const STATUS = `query Status($arn: String!, $az: String, $id: ID!) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) { flowOperationStatus }
}`;

export const WATCH = `subscription Watch($arn: String!, $az: String, $id: ID!) {
  flowOperationStatusChanged(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) {
    flowOperationStatus
  }
}`;
