import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { GraphQLError, parse } from 'graphql';
import type { ExecutionArgs } from 'graphql';
import { formatError } from '../../src/errors.js';
import { PushQueue } from '../../src/subscriptions/push-queue.js';
import { CohortRegistry } from '../../src/ws/cohorts.js';
import { FANOUT_SLICE } from '../../src/ws/fanout.js';
import type { Cohort, CohortMember, CohortPlan } from '../../src/ws/cohorts.js';
import type { TopicKind } from '../../src/subscriptions/topics.js';

/** A schema whose subscription streams whatever the test pushes into `topics[name]`. */
function harness() {
  const topics = new Map<string, PushQueue<string>>();
  const counts = { subscribe: 0, returned: 0 };
  const schema = makeExecutableSchema({
    typeDefs: `type Query { ok: Boolean } type Subscription { value(topic: String!): String }`,
    resolvers: {
      Subscription: {
        value: {
          subscribe: (_: unknown, { topic }: { topic: string }) => {
            counts.subscribe++;
            if (topic === 'missing') {
              throw new GraphQLError('No such topic', { extensions: { code: 'NOT_FOUND' } });
            }
            const queue = new PushQueue<string>(() => void counts.returned++);
            topics.set(topic, queue);
            return queue;
          },
          resolve: (value: string) => value,
        },
      },
    },
  });
  const document = parse(`subscription($topic: String!) { value(topic: $topic) }`);
  const plan = (topic: string, kind: TopicKind = 'state'): CohortPlan => ({
    key: `${topic}:${kind}`,
    kind,
    execution: (): ExecutionArgs => ({ schema, document, variableValues: { topic } }),
  });
  const registry = new CohortRegistry((e) => formatError(e, false));
  return { topics, counts, plan, registry };
}

class Member implements CohortMember {
  cohort: Cohort | undefined = undefined;
  readonly received: { id?: string; type: string; payload?: unknown }[] = [];
  done = false;
  constructor(readonly id: string) {}
  send(message: string): void {
    this.received.push(JSON.parse(message) as { type: string });
  }
  finished(): void {
    this.done = true;
  }
  values(): unknown[] {
    return this.received
      .filter((m) => m.type === 'next')
      .map((m) => (m.payload as { data: { value: unknown } }).data.value);
  }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await tick();
};

describe('CohortRegistry', () => {
  it('runs identical subscriptions as one execution and sends each event to every member under its own id', async () => {
    const { topics, counts, plan, registry } = harness();
    const members = Array.from({ length: 50 }, (_, i) => new Member(`sub-${i}`));
    for (const m of members) registry.join(m, plan('a'));
    await settle();
    assert.equal(counts.subscribe, 1);
    assert.equal(registry.size, 1);
    topics.get('a')!.push('one');
    topics.get('a')!.push('two');
    await settle();
    for (const m of members) {
      assert.deepEqual(m.values(), ['one', 'two']);
      assert.ok(m.received.every((r) => r.id === m.id));
    }
  });

  it('gives a late member of a state subscription the newest event at once, and nothing old to a change stream', async () => {
    const { topics, plan, registry } = harness();
    const first = new Member('1');
    const stream = new Member('2');
    registry.join(first, plan('state'));
    registry.join(stream, plan('changes', 'changes'));
    await settle();
    topics.get('state')!.push('v1');
    topics.get('state')!.push('v2');
    topics.get('changes')!.push('c1');
    await settle();

    const late = new Member('late');
    registry.join(late, plan('state'));
    assert.deepEqual(late.values(), ['v2'], 'replayed synchronously, without a new execution');
    const lateStream = new Member('late-stream');
    registry.join(lateStream, plan('changes', 'changes'));
    assert.deepEqual(lateStream.values(), []);

    topics.get('state')!.push('v3');
    topics.get('changes')!.push('c2');
    await settle();
    assert.deepEqual(late.values(), ['v2', 'v3']);
    assert.deepEqual(lateStream.values(), ['c2']);
    assert.deepEqual(stream.values(), ['c1', 'c2']);
  });

  it('ends the execution when its last member leaves, and starts a new one for the next member', async () => {
    const { counts, plan, registry } = harness();
    const a = new Member('a');
    const b = new Member('b');
    registry.join(a, plan('x'));
    registry.join(b, plan('x'));
    await settle();
    registry.leave(a);
    assert.equal(counts.returned, 0, 'one member left: the execution goes on');
    registry.leave(b);
    await settle();
    assert.equal(counts.returned, 1);
    assert.equal(registry.size, 0);
    assert.equal(a.received.length + b.received.length, 0, 'leaving sends nothing');

    registry.join(new Member('c'), plan('x'));
    await settle();
    assert.equal(counts.subscribe, 2);
  });

  it('returns a source that arrives after every member has left', async () => {
    const { counts, plan, registry } = harness();
    const a = new Member('a');
    registry.join(a, plan('early'));
    registry.leave(a); // before createSourceEventStream has resolved
    await settle();
    assert.equal(counts.subscribe, 1);
    assert.equal(counts.returned, 1);
    assert.equal(registry.size, 0);
  });

  it('completes every member when the stream ends', async () => {
    const { topics, plan, registry } = harness();
    const members = [new Member('a'), new Member('b')];
    for (const m of members) registry.join(m, plan('end'));
    await settle();
    topics.get('end')!.push('last');
    topics.get('end')!.end();
    await settle();
    for (const m of members) {
      assert.deepEqual(
        m.received.map((r) => r.type),
        ['next', 'complete'],
      );
      assert.ok(m.done);
      assert.equal(m.cohort, undefined);
    }
    assert.equal(registry.size, 0);
  });

  it('sends a set-up error as a result to every waiting member, then completes them', async () => {
    const { plan, registry } = harness();
    const members = [new Member('a'), new Member('b')];
    for (const m of members) registry.join(m, plan('missing'));
    await settle();
    for (const m of members) {
      assert.deepEqual(
        m.received.map((r) => r.type),
        ['next', 'complete'],
      );
      const payload = m.received[0]!.payload as { errors: { extensions: { code: string } }[] };
      assert.equal(payload.errors[0]!.extensions.code, 'NOT_FOUND');
      assert.ok(m.done);
    }
    assert.equal(registry.size, 0);
  });

  it('sends a failing stream as an error message with its code to every member', async () => {
    const { topics, plan, registry } = harness();
    const members = [new Member('a'), new Member('b')];
    for (const m of members) registry.join(m, plan('fails'));
    await settle();
    topics
      .get('fails')!
      .fail(new GraphQLError('Gave up', { extensions: { code: 'UPSTREAM_ERROR' } }));
    await settle();
    for (const m of members) {
      assert.equal(m.received.at(-1)!.type, 'error');
      const errors = m.received.at(-1)!.payload as { extensions: { code: string } }[];
      assert.equal(errors[0]!.extensions.code, 'UPSTREAM_ERROR');
      assert.ok(m.done);
    }
  });

  it('keeps different keys apart', async () => {
    const { counts, topics, plan, registry } = harness();
    const a = new Member('a');
    const b = new Member('b');
    registry.join(a, plan('p'));
    registry.join(b, plan('q'));
    await settle();
    assert.equal(counts.subscribe, 2);
    topics.get('p')!.push('for p');
    await settle();
    assert.deepEqual(a.values(), ['for p']);
    assert.deepEqual(b.values(), []);
  });

  it('ends every execution on close, sending nothing', async () => {
    const { counts, plan, registry } = harness();
    const a = new Member('a');
    registry.join(a, plan('one'));
    registry.join(new Member('b'), plan('two'));
    await settle();
    await registry.close();
    assert.equal(counts.returned, 2);
    assert.equal(registry.size, 0);
    assert.equal(a.received.length, 0);
  });
});

/** Events that tell the resolver how to behave: fail the first time, or wait for the test. */
interface Event {
  value: string;
  failFirst?: boolean;
  gate?: Promise<void>;
}

function eventHarness(options: { returnRejects?: boolean } = {}) {
  const queues = new Map<string, PushQueue<Event>>();
  const failed = new Set<Event>();
  const schema = makeExecutableSchema({
    typeDefs: `type Query { ok: Boolean } type Subscription { value(topic: String!): String }`,
    resolvers: {
      Subscription: {
        value: {
          subscribe: (_: unknown, { topic }: { topic: string }) => {
            const queue = new PushQueue<Event>();
            queues.set(topic, queue);
            if (!options.returnRejects) return queue;
            return {
              next: () => queue.next(),
              return: () => Promise.reject(new Error('return failed')),
              [Symbol.asyncIterator]() {
                return this;
              },
            };
          },
          resolve: async (event: Event) => {
            await event.gate;
            if (event.failFirst && !failed.has(event)) {
              failed.add(event);
              throw new GraphQLError('Throttled', { extensions: { code: 'THROTTLED' } });
            }
            return event.value;
          },
        },
      },
    },
  });
  const document = parse(`subscription($topic: String!) { value(topic: $topic) }`);
  const plan = (topic: string, kind: TopicKind): CohortPlan => ({
    key: topic,
    kind,
    execution: (): ExecutionArgs => ({ schema, document, variableValues: { topic } }),
  });
  return { queues, plan, registry: new CohortRegistry((e) => formatError(e, false)) };
}

describe('CohortRegistry edge cases', () => {
  it('gives a late joiner a fresh execution when the newest shared result had errors', async () => {
    const { queues, plan, registry } = eventHarness();
    const first = new Member('first');
    registry.join(first, plan('s', 'state'));
    await settle();
    queues.get('s')!.push({ value: 'v1', failFirst: true });
    await settle();
    const firstPayload = first.received[0]!.payload as { errors?: unknown[] };
    assert.ok(firstPayload.errors, 'the shared execution hit the error');

    const late = new Member('late');
    registry.join(late, plan('s', 'state'));
    await settle();
    assert.deepEqual(late.values(), ['v1'], 'executed again for the joiner, without the error');
    assert.equal(
      (late.received[0]!.payload as { errors?: unknown[] }).errors,
      undefined,
      'no copy of the error',
    );
  });

  it('does not give a joiner of a change stream an event that happened before it joined', async () => {
    const { queues, plan, registry } = eventHarness();
    const early = new Member('early');
    registry.join(early, plan('c', 'changes'));
    await settle();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    queues.get('c')!.push({ value: 'before', gate });
    await settle(); // the event is being executed
    const late = new Member('late');
    registry.join(late, plan('c', 'changes'));
    open();
    await settle();
    queues.get('c')!.push({ value: 'after' });
    await settle();
    assert.deepEqual(early.values(), ['before', 'after']);
    assert.deepEqual(late.values(), ['after']);
  });

  it('gives a joiner of a state subscription the state being executed as it joins', async () => {
    const { queues, plan, registry } = eventHarness();
    const early = new Member('early');
    registry.join(early, plan('t', 'state'));
    await settle();
    queues.get('t')!.push({ value: 'v1' });
    await settle();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    queues.get('t')!.push({ value: 'v2', gate });
    await settle();
    const late = new Member('late');
    registry.join(late, plan('t', 'state'));
    open();
    await settle();
    assert.deepEqual(late.values(), ['v1', 'v2'], 'the replay, then the newer state');
  });

  it('survives a source whose return() rejects, without an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { plan, registry } = eventHarness({ returnRejects: true });
      const member = new Member('m');
      registry.join(member, plan('r', 'state'));
      await settle();
      registry.leave(member);
      await settle();
      // 'unhandledRejection' is emitted once the microtask queue is empty, before any immediate.
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(unhandled, []);
      assert.equal(registry.size, 0);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('refuses to start anything once closed', async () => {
    const { plan, registry } = eventHarness();
    await registry.close();
    const member = new Member('m');
    registry.join(member, plan('x', 'state'));
    assert.equal(member.received[0]!.type, 'error');
    assert.ok(member.done);
    assert.equal(registry.size, 0);
  });
});

/** Turns of the event loop until `done` holds (a fan-out in progress moves a slice per turn). */
async function turnsUntil(done: () => boolean, limit = 1000): Promise<void> {
  for (let i = 0; i < limit && !done(); i++) await tick();
  assert.ok(done(), 'reached within the turn limit');
}

describe('CohortRegistry fan-out in slices', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => new Member(`sub-${i}`));

  /** Counts each member's sends by the event-loop turn they ran in (its own setImmediate chain). */
  function sendsPerTurn(members: Member[]) {
    let turn = 0;
    let counting = true;
    const advance = () => {
      turn++;
      if (counting) setImmediate(advance);
    };
    setImmediate(advance);
    const perTurn = new Map<number, number>();
    for (const m of members) {
      const send = m.send.bind(m);
      m.send = (message) => {
        perTurn.set(turn, (perTurn.get(turn) ?? 0) + 1);
        send(message);
      };
    }
    return {
      perTurn,
      stop: () => {
        counting = false;
      },
    };
  }

  it('shares the per-turn budget between cohorts whose events arrive in the same turn', async () => {
    const { topics, plan, registry } = harness();
    const topicNames = ['a', 'b', 'c', 'd'];
    const members = many(FANOUT_SLICE * 4);
    members.forEach((m, i) => registry.join(m, plan(topicNames[i % 4]!)));
    await settle();
    const { perTurn, stop } = sendsPerTurn(members);
    for (const name of topicNames) topics.get(name)!.push('one');
    await turnsUntil(() => members.every((m) => m.values().length === 1));
    stop();
    assert.ok(
      Math.max(...perTurn.values()) <= FANOUT_SLICE,
      `sends per turn: ${[...perTurn.values()].join(',')}`,
    );
  });

  it('writes at most FANOUT_SLICE members per event-loop turn, and every member once', async () => {
    const { topics, plan, registry } = harness();
    const members = many(FANOUT_SLICE * 4 + 7);
    for (const m of members) registry.join(m, plan('a'));
    await settle();
    const { perTurn, stop } = sendsPerTurn(members);
    topics.get('a')!.push('one');
    await turnsUntil(() => members.every((m) => m.values().length === 1));
    stop();
    assert.ok(
      Math.max(...perTurn.values()) <= FANOUT_SLICE,
      `sends per turn: ${[...perTurn.values()].join(',')}`,
    );
    assert.ok(perTurn.size >= 5, `spread over ${perTurn.size} turns`);
    for (const m of members) assert.deepEqual(m.values(), ['one']);
  });

  it('sends each member its next before the complete of a stream that ends during the fan-out', async () => {
    const { topics, plan, registry } = harness();
    const members = many(FANOUT_SLICE * 3);
    for (const m of members) registry.join(m, plan('a'));
    await settle();
    topics.get('a')!.push('last');
    topics.get('a')!.end();
    await turnsUntil(() => members.every((m) => m.done));
    for (const m of members)
      assert.deepEqual(
        m.received.map((r) => r.type),
        ['next', 'complete'],
      );
  });

  it("writes another cohort's event before the rest of a finished cohort's completes", async () => {
    const { topics, plan, registry } = harness();
    const finishing = many(FANOUT_SLICE * 4);
    const waiting = many(FANOUT_SLICE);
    for (const m of finishing) registry.join(m, plan('a'));
    for (const m of waiting) registry.join(m, plan('b'));
    await settle();
    topics.get('a')!.push('last');
    topics.get('a')!.end();
    // The first of a's completes is written: the rest are queued when b's event arrives.
    await turnsUntil(() => finishing[0]!.done);
    topics.get('b')!.push('news');
    await turnsUntil(() => waiting.every((m) => m.values().length === 1));
    const stillOwed = finishing.filter((m) => !m.done).length;
    assert.ok(stillOwed > 0, "b's event went out before a's last completes");
    await turnsUntil(() => finishing.every((m) => m.done));
    for (const m of finishing)
      assert.deepEqual(
        m.received.map((r) => r.type),
        ['next', 'complete'],
      );
  });

  it('keeps events in order per member across slices', async () => {
    const { topics, plan, registry } = harness();
    const members = many(FANOUT_SLICE * 2 + 1);
    for (const m of members) registry.join(m, plan('a'));
    await settle();
    for (const value of ['1', '2', '3']) topics.get('a')!.push(value);
    await turnsUntil(() => members.every((m) => m.values().length === 3));
    for (const m of members) assert.deepEqual(m.values(), ['1', '2', '3']);
  });

  it('writes nothing more to a member that leaves during the fan-out', async () => {
    const { topics, plan, registry } = harness();
    const members = many(FANOUT_SLICE * 3);
    for (const m of members) registry.join(m, plan('a'));
    await settle();
    topics.get('a')!.push('one');
    const first = members[0]!;
    const last = members.at(-1)!;
    await turnsUntil(() => first.values().length === 1);
    assert.equal(last.received.length, 0, 'the last slice is not written yet');
    registry.leave(last);
    await turnsUntil(() => members.at(-2)!.values().length === 1);
    topics.get('a')!.push('two');
    await turnsUntil(() => members.at(-2)!.values().length === 2);
    assert.deepEqual(last.received, []);
    assert.deepEqual(first.values(), ['one', 'two']);
  });

  it('replays the event under way to a joiner during the fan-out once, before the next event', async () => {
    const { topics, plan, registry } = harness();
    const members = many(FANOUT_SLICE * 3);
    for (const m of members) registry.join(m, plan('a'));
    await settle();
    topics.get('a')!.push('one');
    await turnsUntil(() => members[0]!.values().length === 1);
    const joiner = new Member('joiner');
    registry.join(joiner, plan('a'));
    topics.get('a')!.push('two');
    // The joiner is the cohort's last member, so the second fan-out reaches it last.
    await turnsUntil(() => joiner.values().length === 2);
    await settle();
    assert.deepEqual(joiner.values(), ['one', 'two']);
  });

  it('drain during a fan-out writes the event to the rest before their complete', async () => {
    const { topics, plan, registry } = harness();
    const members = many(FANOUT_SLICE * 3);
    for (const m of members) registry.join(m, plan('a'));
    await settle();
    topics.get('a')!.push('one');
    await turnsUntil(() => members[0]!.values().length === 1);
    assert.equal(members.at(-1)!.received.length, 0, 'drained mid-fan-out');
    await registry.drain();
    await settle();
    for (const m of members) {
      assert.deepEqual(
        m.received.map((r) => r.type),
        ['next', 'complete'],
      );
      assert.ok(m.done);
    }
  });
});
