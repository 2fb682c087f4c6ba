import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import {
  ListFlowOperationResultsCommand,
  NetworkFirewallClient,
  StartFlowCaptureCommand,
} from '@aws-sdk/client-network-firewall';
import { createNetworkFirewallClient } from '../../src/aws/client.js';
import { quoteUnsafeIntegers } from '../../src/aws/exact-integers.js';
import { createSimulator } from '../../src/simulator/index.js';
import { adversarial, assertLinear } from '../helpers/linear-work.js';

const DEMO = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';

describe('quoteUnsafeIntegers', () => {
  it('quotes integers beyond ±(2^53 - 1) and leaves the rest as written', () => {
    assert.equal(
      quoteUnsafeIntegers('{"A":9007199254740993,"B":-9223372036854775808,"C":9007199254740991}'),
      '{"A":"9007199254740993","B":"-9223372036854775808","C":9007199254740991}',
    );
    assert.equal(quoteUnsafeIntegers('[9007199254740992]'), '["9007199254740992"]');
    assert.equal(quoteUnsafeIntegers('[-9007199254740991, 0, 12]'), '[-9007199254740991, 0, 12]');
  });

  it('leaves digits in strings, escaped quotes included, fractions and exponents alone', () => {
    const untouched = [
      '{"ID":"90071992547409930000"}',
      '{"M":"say \\"12345678901234567890\\" twice","N":1}',
      '{"F":12345678901234567890.5,"E":1e400,"G":12345678901234567890e2}',
      '{"T":true,"U":null,"V":[]}',
      '',
    ];
    for (const text of untouched) assert.equal(quoteUnsafeIntegers(text), text);
  });

  it('any JSON with int64 integers parses to the same value, the unsafe ones as exact strings', () => {
    const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    const leaf = fc.oneof(int64, fc.string(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    const doc = fc.dictionary(fc.string(), fc.oneof(leaf, fc.array(leaf, { maxLength: 4 })));
    const safe = (n: bigint) => n >= -(2n ** 53n - 1n) && n <= 2n ** 53n - 1n;
    const write = (value: unknown) =>
      JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `@${v}@` : v)).replace(
        /"@(-?\d+)@"/g,
        '$1',
      );
    // A double written as a long run of digits (2^60, say) is quoted too: from the text alone it
    // cannot be told from a Long.
    const double = (value: number) => {
      const text = JSON.stringify(value);
      return /^-?\d+$/.test(text) && !Number.isSafeInteger(value)
        ? text
        : (JSON.parse(text) as number);
    };
    const expected = (value: unknown): unknown =>
      typeof value === 'bigint'
        ? safe(value)
          ? Number(value)
          : value.toString()
        : Array.isArray(value)
          ? value.map(expected)
          : typeof value === 'number'
            ? double(value)
            : value;
    fc.assert(
      fc.property(doc, (d) => {
        const parsed = JSON.parse(quoteUnsafeIntegers(write(d))) as Record<string, unknown>;
        assert.deepEqual(
          parsed,
          Object.fromEntries(Object.entries(d).map(([k, v]) => [k, expected(v)])),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('reads 100 KB of digits, signs and escaped quotes in linear work', () => {
    // No clock: the characters read on twice the text at most double, and any regex that runs is
    // proven linear by recheck (test/helpers/linear-work.ts). The units are what this pass
    // walks: digit runs long enough to be quoted, fractions and exponents, escapes in strings.
    fc.assert(
      fc.property(
        adversarial(
          ['', '[', '"', '{"A":', '-'],
          ['1234567890123456789,', '9', '-', '"', '\\"', '\\', '.', 'e', ','],
          ['', '"', ']', '1', '.', 'e'],
        ),
        (hostile) => assertLinear('quoteUnsafeIntegers', hostile, 100_000, quoteUnsafeIntegers),
      ),
      { numRuns: 30 },
    );
    // The two shapes this test first timed, always among the cases.
    const longs = { head: '[', unit: '1234567890123456789,', tail: '1]' };
    assertLinear('quoteUnsafeIntegers (Longs)', longs, 100_000, quoteUnsafeIntegers);
    const escapes = { head: '"', unit: '\\"', tail: '"' };
    assertLinear('quoteUnsafeIntegers (escapes)', escapes, 100_000, quoteUnsafeIntegers);
  });
});

describe('the gateway client reads Long counters exactly', { timeout: 10_000 }, () => {
  it('keeps 2^53 + 1 and 2^63 - 1 that a plain SDK client rounds', async () => {
    const sim = await createSimulator({ operationDelayMs: 3_600_000, demoData: false });
    after(() => sim.close());
    const scope = { FirewallArn: DEMO, AvailabilityZone: 'us-east-1a' };
    sim.control.addFlows(DEMO, { availabilityZone: 'us-east-1a' }, [
      {
        source: '10.9.9.9',
        destination: '10.0.0.1',
        sourcePort: 40000,
        destinationPort: 443,
        protocol: 6,
        ageSeconds: 60,
        packetCount: 2n ** 63n - 1n,
        byteCount: 2n ** 53n + 1n,
      },
    ]);
    const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };
    const gateway = createNetworkFirewallClient({
      region: 'us-east-1',
      endpoint: sim.url,
      credentials,
      maxAttempts: 1,
      requestTimeoutMs: 5000,
      connectTimeoutMs: 5000,
      maxSockets: 4,
    });
    const plain = new NetworkFirewallClient({
      region: 'us-east-1',
      endpoint: sim.url,
      credentials,
    });
    after(() => {
      gateway.destroy();
      plain.destroy();
    });
    const { FlowOperationId = '' } = await gateway.send(
      new StartFlowCaptureCommand({ ...scope, FlowFilters: [{ SourcePort: 'ANY' }] }),
    );
    sim.control.completeOperation(FlowOperationId);
    const read = (client: NetworkFirewallClient) =>
      client.send(new ListFlowOperationResultsCommand({ ...scope, FlowOperationId }));

    // Twice: the second send runs the handler the client cached (cacheMiddleware), which must
    // still hold the middleware.
    for (let i = 0; i < 2; i++) {
      const exact = (await read(gateway)).Flows?.[0];
      assert.equal(exact?.ByteCount, '9007199254740993');
      assert.equal(exact?.PacketCount, '9223372036854775807');
      assert.equal(exact?.Age, 60, 'a safe integer stays a number');
    }

    const rounded = (await read(plain)).Flows?.[0];
    assert.equal(rounded?.ByteCount, 2 ** 53, 'the SDK alone rounds it: the middleware is needed');
  });
});
