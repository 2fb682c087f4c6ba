import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'graphql';
import {
  MAX_VARIANTS_PER_DOCUMENT,
  MAX_VARIANT_KEY_CHARS,
  requestComplexity,
} from '../../src/admission/complexity-memo.js';
import { buildSchema } from '../../src/schema.js';

const schema = buildSchema();
const ARN = 'arn:aws:network-firewall:us-east-1:111122223333:firewall/demo';
// The finished-capture page of BENCHMARKS.md's scenario (d), as its repeats arrive: one parsed
// document (the document cache's), a new request object and new variables object each time.
const document = parse(`query Page($arn: String!, $az: String, $id: ID!) {
  flowOperation(firewallArn: $arn, availabilityZone: $az, flowOperationId: $id) {
    flowOperationStatus
    flows(first: 100) { edges { node { protocol byteCount } } pageInfo { endCursor } }
  }
}`);
const measure = (variables: Record<string, unknown>, operationName = 'Page') =>
  requestComplexity({ schema, document, operationName, request: { variables } });

describe('complexity of a repeated operation', () => {
  it('is measured once per document and variables, whatever their key order', () => {
    const first = measure({ arn: ARN, az: 'us-east-1a', id: 'op-1' });
    assert.ok(first && first.cost > 0);
    const again = measure({ id: 'op-1', az: 'us-east-1a', arn: ARN });
    assert.equal(again, first, 'the second request reuses the first measure');
    assert.ok(Object.isFrozen(first), 'one object answers many requests: none may change it');
    assert.notEqual(measure({ arn: ARN, az: 'us-east-1b', id: 'op-1' }), first);
  });

  it('keeps a bounded number of variable sets per document, the oldest dropped first', () => {
    const oldest = measure({ arn: ARN, id: 'bound-0' });
    for (let i = 1; i <= MAX_VARIANTS_PER_DOCUMENT; i++) measure({ arn: ARN, id: `bound-${i}` });
    assert.notEqual(measure({ arn: ARN, id: 'bound-0' }), oldest, 'evicted, so measured again');
    const newest = measure({ arn: ARN, id: `bound-${MAX_VARIANTS_PER_DOCUMENT}` });
    assert.equal(measure({ arn: ARN, id: `bound-${MAX_VARIANTS_PER_DOCUMENT}` }), newest);
  });

  it('does not remember variables longer than the key limit', () => {
    const long = { arn: ARN, id: 'x'.repeat(MAX_VARIANT_KEY_CHARS) };
    const first = measure(long);
    assert.deepEqual(measure(long), first);
    assert.notEqual(measure(long), first, 'measured per request, as before');
  });
});
