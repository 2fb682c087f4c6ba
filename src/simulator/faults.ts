export interface FaultSpec {
  /** Added delay, in ms, before each (matching) request is answered. */
  latencyMs: number;
  /** The next N matching requests answer 400 ThrottlingException. */
  throttleNext: number;
  /** The next N matching requests answer 500 InternalServerError. */
  errorNext: number;
  /** The next N matching requests get their socket destroyed without an answer. */
  dropNext: number;
  /** The next N matching requests are never answered (until the simulator closes). */
  hangNext: number;
  /**
   * Delay, in ms, between processing a (matching) request and sending its successful answer: AWS
   * has acted (an operation exists) while the caller is still waiting, as with a slow start.
   */
  answerDelayMs: number;
  /**
   * The next N matching requests are processed, then their socket is destroyed instead of the
   * successful answer: the connection lost after AWS acted.
   */
  dropAnswerNext: number;
  /**
   * The next N matching requests are refused as IAM would refuse the caller's identity: 403
   * AccessDeniedException naming its assumed role and instance, or STS AccessDenied for AssumeRole.
   */
  denyNext: number;
  /**
   * Restricts every fault above to these operation names; all operations when omitted. STS's
   * AssumeRole is affected only when named here, so faults meant for Network Firewall calls are
   * not spent on the credentials the SDK fetches first.
   */
  operations?: string[];
}

type FaultAction = 'drop' | 'hang' | 'throttle' | 'error' | 'dropAnswer' | 'deny';

export interface FaultDecision {
  latencyMs: number;
  /** Held after processing, before a successful answer. */
  answerDelayMs: number;
  action?: FaultAction;
}

export interface FaultController {
  set(fault: Partial<FaultSpec>): void;
  reset(): void;
  current(): FaultSpec;
}

const NONE: FaultSpec = {
  latencyMs: 0,
  throttleNext: 0,
  errorNext: 0,
  dropNext: 0,
  hangNext: 0,
  answerDelayMs: 0,
  dropAnswerNext: 0,
  denyNext: 0,
};

const NUMBERS = [
  'latencyMs',
  'throttleNext',
  'errorNext',
  'dropNext',
  'hangNext',
  'answerDelayMs',
  'dropAnswerNext',
  'denyNext',
] as const;

const COUNTERS = [
  ['dropNext', 'drop'],
  ['hangNext', 'hang'],
  ['throttleNext', 'throttle'],
  ['errorNext', 'error'],
  ['dropAnswerNext', 'dropAnswer'],
  ['denyNext', 'deny'],
] as const;

function nonNegativeInteger(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`fault ${field} must be a non-negative integer`);
  }
  return value;
}

export class Faults implements FaultController {
  #spec: FaultSpec = { ...NONE };

  /** Merges into the current spec, so knobs can be turned one at a time. */
  set(fault: Partial<FaultSpec>): void {
    const next: FaultSpec = { ...this.#spec };
    for (const key of NUMBERS) {
      const value = fault[key];
      if (value !== undefined) next[key] = nonNegativeInteger(value, key);
    }
    if ('operations' in fault) {
      const ops = fault.operations;
      if (ops !== undefined && (!Array.isArray(ops) || ops.some((o) => typeof o !== 'string'))) {
        throw new TypeError('fault operations must be a list of operation names');
      }
      if (ops === undefined) delete next.operations;
      else next.operations = [...ops];
    }
    this.#spec = next;
  }

  reset(): void {
    this.#spec = { ...NONE };
  }

  current(): FaultSpec {
    const { operations, ...rest } = this.#spec;
    return operations ? { ...rest, operations: [...operations] } : rest;
  }

  /** Decides (and consumes) the fault for one request as it arrives. */
  decide(operation: string, onlyWhenNamed = false): FaultDecision {
    const spec = this.#spec;
    const named = spec.operations?.includes(operation) ?? false;
    if (spec.operations ? !named : onlyWhenNamed) return { latencyMs: 0, answerDelayMs: 0 };
    const delays = { latencyMs: spec.latencyMs, answerDelayMs: spec.answerDelayMs };
    for (const [counter, action] of COUNTERS) {
      if (spec[counter] > 0) {
        spec[counter] -= 1;
        return { ...delays, action };
      }
    }
    return delays;
  }
}
