/**
 * Errors the simulator answers with. `name` is the literal AWS error code written to
 * `__type`, which is what the SDK uses to pick its exception class.
 */
export abstract class SimulatorError extends Error {
  abstract override readonly name: string;
  abstract readonly status: number;
}

export class InvalidRequestException extends SimulatorError {
  override readonly name = 'InvalidRequestException';
  readonly status = 400;
}

export class ResourceNotFoundException extends SimulatorError {
  override readonly name = 'ResourceNotFoundException';
  readonly status = 400;
}

export class ThrottlingException extends SimulatorError {
  override readonly name = 'ThrottlingException';
  readonly status = 400;
}

export class InternalServerError extends SimulatorError {
  override readonly name = 'InternalServerError';
  readonly status = 500;
}

export class UnknownOperationException extends SimulatorError {
  override readonly name = 'UnknownOperationException';
  readonly status = 400;
}

/** What AWS JSON services answer when the body is not a JSON object. */
export class SerializationException extends SimulatorError {
  override readonly name = 'SerializationException';
  readonly status = 400;
}

/** The caller's credentials belong to another account than the resource. */
export class AccessDeniedException extends SimulatorError {
  override readonly name = 'AccessDeniedException';
  readonly status = 400;
}
