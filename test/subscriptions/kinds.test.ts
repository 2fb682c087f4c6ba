import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema } from '../../src/schema.js';
import type { Topic } from '../../src/subscriptions/multiplexer.js';
import {
  lateJoinerReplay,
  operationTopic,
  scopeTopic,
  subscriptionKind,
} from '../../src/subscriptions/topics.js';
import { DEMO_ARN, DEMO_AZ } from '../helpers/gateway.js';

const noop = {
  id: 'x',
  poll: () => Promise.resolve(1),
  diff: () => [],
  isFinal: () => false,
  decode: (raw: unknown) => raw as number,
};

describe('subscription kinds live with the topics', () => {
  it('gives every Subscription field of the schema a kind, the same as its topic says', () => {
    const fields = Object.keys(buildSchema().getSubscriptionType()?.getFields() ?? {});
    assert.ok(fields.length > 0);
    for (const field of fields) {
      assert.ok(subscriptionKind(field), `${field} has no kind in src/subscriptions/topics.ts`);
    }
    // Each field's topic carries the kind the websocket cohorts read for the field.
    const scope = { firewallArn: DEMO_ARN, availabilityZone: DEMO_AZ };
    assert.equal(
      operationTopic({ ...scope, flowOperationId: 'op' }).kind,
      subscriptionKind('flowOperationStatusChanged'),
    );
    assert.equal(scopeTopic(scope).kind, subscriptionKind('flowOperationEvents'));
    assert.deepEqual(
      fields.map((f) => [f, subscriptionKind(f)]),
      [
        ['flowOperationStatusChanged', 'state'],
        ['flowOperationEvents', 'changes'],
      ],
    );
    assert.equal(subscriptionKind('__proto__'), undefined);
    assert.equal(subscriptionKind(undefined), undefined);
  });

  it('replays the latest to a late joiner of a state topic only', () => {
    assert.deepEqual(lateJoinerReplay('state', 'newest'), ['newest']);
    assert.deepEqual(lateJoinerReplay('state', undefined), []);
    assert.deepEqual(lateJoinerReplay('changes', 'newest'), []);
  });

  it('does not compile a topic that forgot its kind, or a state topic whose state is no event', () => {
    // @ts-expect-error a topic must say whether late joiners are owed its state
    const forgot: Topic<number, number> = noop;
    const list = { ...noop, poll: () => Promise.resolve([]), decode: (raw: unknown) => raw as [] };
    const stream: Topic<number[], number> = { ...list, kind: 'changes' };
    // @ts-expect-error a list of states is not one event: such a topic can only be `changes`
    const wrong: Topic<number[], number> = { ...list, kind: 'state' };
    assert.ok(forgot && stream && wrong);
  });
});
