import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CursorCodec } from '../src/cursor.js';
import { GlobalIdCodec } from '../src/global-id.js';
import type { FlowOperationKey } from '../src/model.js';

const SECRET = Buffer.from('global-id-test-secret-0123456789', 'utf8');
const ARN = 'arn:aws:network-firewall:eu-west-1:444455556666:firewall/eu-inspection';
const KEY: FlowOperationKey = {
  firewallArn: ARN,
  availabilityZone: 'eu-west-1b',
  flowOperationId: '2f1a6c1e-5b0a-4f8e-9d55-3d5f4b1f0a77',
};
const ENDPOINT_KEY: FlowOperationKey = {
  firewallArn: ARN,
  vpcEndpointId: 'vpce-0123456789abcdef0',
  vpcEndpointAssociationArn:
    'arn:aws:network-firewall:eu-west-1:444455556666:vpc-endpoint-association/a1',
  flowOperationId: KEY.flowOperationId,
};

describe('global ids', () => {
  it('round-trips each kind of object, with the scope it was reached by', () => {
    const codec = new GlobalIdCodec(SECRET);
    assert.deepEqual(codec.decode(codec.firewall(ARN), 'id'), {
      type: 'Firewall',
      firewallArn: ARN,
    });
    assert.deepEqual(codec.decode(codec.flowOperation(KEY), 'id'), {
      type: 'FlowOperation',
      key: KEY,
    });
    assert.deepEqual(codec.decode(codec.flowOperation(ENDPOINT_KEY), 'id'), {
      type: 'FlowOperation',
      key: ENDPOINT_KEY,
    });
  });

  it('is deterministic: the same object has the same id on every replica with the same secret', () => {
    const a = new GlobalIdCodec(SECRET);
    const b = new GlobalIdCodec(Buffer.from(SECRET));
    assert.equal(a.firewall(ARN), b.firewall(ARN));
    assert.equal(a.flowOperation(KEY), b.flowOperation({ ...KEY }));
    // Absent and null scope parts are the same scope.
    assert.equal(
      a.flowOperation(KEY),
      b.flowOperation({ ...KEY, vpcEndpointId: null, vpcEndpointAssociationArn: null }),
    );
    const ids = [
      a.firewall(ARN),
      a.flowOperation(KEY),
      a.flowOperation(ENDPOINT_KEY),
      a.flowOperation({ ...KEY, availabilityZone: 'eu-west-1a' }),
      a.flowOperation({ ...KEY, flowOperationId: 'another' }),
      a.firewall(ARN.replace('eu-inspection', 'eu-inspection2')),
    ];
    assert.equal(new Set(ids).size, ids.length);
  });

  it('reveals nothing of what it names when decoded without the secret', () => {
    const id = new GlobalIdCodec(SECRET).flowOperation(ENDPOINT_KEY);
    const seen = id
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join(' ');
    for (const secret of [
      '444455556666',
      'eu-west-1',
      'eu-inspection',
      'vpce-',
      'FlowOperation',
      '2f1a6c1e',
    ]) {
      assert.ok(!seen.includes(secret) && !id.includes(secret), secret);
    }
  });

  it('refuses ids of another secret, cursors of the same secret, and edits, as BAD_USER_INPUT at the given path', () => {
    const codec = new GlobalIdCodec(SECRET);
    const id = codec.firewall(ARN);
    const refused = [
      new GlobalIdCodec(Buffer.from('another-secret')).firewall(ARN),
      new CursorCodec(SECRET).encode('flows', 'x', { token: null, offset: 0 }),
      id.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
      `${id}=`,
      id.split('.')[0]!,
      'x'.repeat(5000),
    ];
    for (const bad of refused) {
      assert.throws(
        () => codec.decode(bad, 'ids[3]'),
        (error: Error & { extensions?: Record<string, unknown> }) =>
          error.extensions?.code === 'BAD_USER_INPUT' &&
          error.extensions?.argumentPath === 'ids[3]',
        bad.slice(0, 40),
      );
    }
  });
});
