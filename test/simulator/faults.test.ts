import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DescribeFirewallCommand,
  ListFirewallsCommand,
  NetworkFirewallServiceException,
  StartFlowCaptureCommand,
  StartFlowFlushCommand,
  ThrottlingException,
} from '@aws-sdk/client-network-firewall';
import { waitFor } from '../helpers/gateway.js';
import { DEMO, clientFor, startSimulator } from './helpers.js';

const sim = await startSimulator();
const client = clientFor(sim);

describe('fault injection', { timeout: 20_000 }, () => {
  it('throttleNext answers ThrottlingException N times, then recovers', async () => {
    sim.faults.reset();
    sim.log.clear();
    sim.faults.set({ throttleNext: 2 });
    for (let i = 0; i < 2; i++) {
      await assert.rejects(client.send(new ListFirewallsCommand({})), ThrottlingException);
    }
    const ok = await client.send(new ListFirewallsCommand({}));
    assert.equal(ok.$metadata.httpStatusCode, 200);
    assert.deepEqual(
      sim.log.entries().map((e) => [e.status, e.errorType]),
      [
        [400, 'ThrottlingException'],
        [400, 'ThrottlingException'],
        [200, undefined],
      ],
    );
  });

  it('the SDK retries injected 5xx errors and succeeds', async () => {
    sim.faults.reset();
    sim.faults.set({ errorNext: 2 });
    const retrying = clientFor(sim, 'us-east-1', { maxAttempts: 3 });
    const out = await retrying.send(new ListFirewallsCommand({}));
    assert.equal(out.$metadata.attempts, 3);
  });

  it('faults can be restricted to some operations', async () => {
    sim.faults.reset();
    sim.faults.set({ throttleNext: 1, operations: ['DescribeFirewall'] });
    await client.send(new ListFirewallsCommand({}));
    await assert.rejects(
      client.send(new DescribeFirewallCommand({ FirewallArn: DEMO })),
      ThrottlingException,
    );
    await client.send(new DescribeFirewallCommand({ FirewallArn: DEMO }));
    assert.deepEqual(sim.faults.current(), {
      latencyMs: 0,
      throttleNext: 0,
      errorNext: 0,
      dropNext: 0,
      hangNext: 0,
      answerDelayMs: 0,
      dropAnswerNext: 0,
      denyNext: 0,
      operations: ['DescribeFirewall'],
    });
  });

  it('dropNext destroys the connection without an answer', async () => {
    sim.faults.reset();
    sim.log.clear();
    sim.faults.set({ dropNext: 1 });
    await assert.rejects(client.send(new ListFirewallsCommand({})), (e: unknown) => {
      assert.ok(!(e instanceof NetworkFirewallServiceException), 'no service answer expected');
      return true;
    });
    assert.equal(sim.log.entries()[0]?.status, 0);
    await client.send(new ListFirewallsCommand({}));
  });

  it('latencyMs delays every answer: held while a later request is answered, then answered', async () => {
    // The order of answers shows the delay: two requests that arrived under a long latency are
    // still unanswered after a later one without it has been answered.
    const slow = await startSimulator();
    const slowClient = clientFor(slow);
    slow.faults.set({ latencyMs: 60_000 });
    const held = [1, 2].map(async () =>
      slowClient.send(new ListFirewallsCommand({})).then(
        () => 'answered',
        () => 'rejected',
      ),
    );
    let answered = 0;
    void Promise.all(held.map(async (p) => p.then(() => (answered += 1))));
    await waitFor(() => slow.log.count() >= 2 || undefined);
    slow.faults.reset();
    const later = await slowClient.send(new ListFirewallsCommand({}));
    assert.equal(later.$metadata.httpStatusCode, 200);
    assert.equal(answered, 0, 'the delayed requests are answered after the later one');
    assert.deepEqual(
      slow.log.entries().map((e) => e.status),
      [0, 0, 200],
    );
    await slow.close();
    assert.deepEqual(await Promise.all(held), ['rejected', 'rejected']);

    // A delay, not a hang: a short one ends in the answer.
    sim.faults.reset();
    sim.log.clear();
    sim.faults.set({ latencyMs: 50 });
    const ok = await client.send(new ListFirewallsCommand({}));
    assert.equal(ok.$metadata.httpStatusCode, 200);
    assert.deepEqual(
      sim.log.entries().map((e) => e.status),
      [200],
    );
    sim.faults.reset();
  });

  it('hangNext never answers: the client times out and close() still ends quickly', async () => {
    const hanging = await startSimulator();
    const impatient = clientFor(hanging, 'us-east-1', {
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    hanging.faults.set({ hangNext: 2 });
    // A client that ignored its timeout would wait forever: the suite's timeout is the safety net.
    await assert.rejects(impatient.send(new ListFirewallsCommand({})), (e: Error) => {
      assert.match(`${e.name} ${e.message}`, /timeout/i);
      return true;
    });

    // A client with no timeout is released by close(), which must not wait for it.
    const patient = clientFor(hanging);
    const received = hanging.log.count();
    const pending = patient.send(new ListFirewallsCommand({}));
    const settled = pending.then(
      () => 'answered',
      () => 'rejected',
    );
    await waitFor(() => hanging.log.count() > received || undefined);
    assert.equal(hanging.log.entries().at(-1)?.status, 0);
    // A close() that waited for the hung request would never end (the client has no timeout).
    await hanging.close();
    assert.equal(await settled, 'rejected');
  });

  it('close() also cuts short a request waiting on latency', async () => {
    const slow = await startSimulator();
    slow.faults.set({ latencyMs: 60_000 });
    const settled = clientFor(slow)
      .send(new ListFirewallsCommand({}))
      .then(
        () => 'answered',
        () => 'rejected',
      );
    await waitFor(() => slow.log.count() >= 1 || undefined);
    await slow.close();
    assert.equal(await settled, 'rejected');
  });

  it('answerDelayMs acts first and answers late: the operation exists while the caller waits', async () => {
    sim.faults.reset();
    sim.faults.set({ answerDelayMs: 60_000, operations: ['StartFlowFlush'] });
    const before = sim.control.operations(DEMO).length;
    const impatient = clientFor(sim, 'us-east-1', {
      requestHandler: { requestTimeout: 200, throwOnRequestTimeout: true },
    });
    await assert.rejects(
      impatient.send(
        new StartFlowFlushCommand({
          FirewallArn: DEMO,
          AvailabilityZone: 'us-east-1a',
          FlowFilters: [{ DestinationPort: '443' }],
        }),
      ),
      (e: Error) => /timeout/i.test(`${e.name} ${e.message}`),
    );
    assert.equal(sim.control.operations(DEMO).length, before + 1);
    sim.faults.reset();
  });

  it('dropAnswerNext acts, then destroys the connection instead of answering', async () => {
    sim.faults.reset();
    sim.log.clear();
    sim.faults.set({ dropAnswerNext: 1 });
    const before = sim.control.operations(DEMO).length;
    const start = () =>
      client.send(
        new StartFlowCaptureCommand({
          FirewallArn: DEMO,
          AvailabilityZone: 'us-east-1a',
          FlowFilters: [{ DestinationPort: '443' }],
        }),
      );
    await assert.rejects(start(), (e: unknown) => !(e instanceof NetworkFirewallServiceException));
    assert.equal(sim.control.operations(DEMO).length, before + 1, 'the capture was started');
    assert.deepEqual(
      sim.log.entries().map((e) => [e.status, e.errorType]),
      [[0, 'AnswerDropped']],
    );
    const answered = await start();
    assert.ok(answered.FlowOperationId, 'the fault is consumed');
  });

  it('denyNext refuses as IAM would, naming the caller’s role and instance, then recovers', async () => {
    sim.faults.reset();
    sim.log.clear();
    sim.faults.set({ denyNext: 1 });
    await assert.rejects(client.send(new ListFirewallsCommand({})), (e: unknown) => {
      assert.ok(e instanceof NetworkFirewallServiceException);
      assert.equal(e.name, 'AccessDeniedException');
      assert.match(
        e.message,
        /^User: arn:aws:sts::\d{12}:assumed-role\/.+\/i-[0-9a-f]+ is not authorized/,
      );
      return true;
    });
    await client.send(new ListFirewallsCommand({}));
    assert.deepEqual(
      sim.log.entries().map((e) => [e.status, e.errorType]),
      [
        [400, 'AccessDeniedException'],
        [200, undefined],
      ],
    );
  });

  it('STS AssumeRole takes faults only when they name it', async () => {
    sim.faults.reset();
    sim.log.clear();
    const { fromTemporaryCredentials } = await import('@aws-sdk/credential-providers');
    const assume = () =>
      fromTemporaryCredentials({
        params: { RoleArn: 'arn:aws:iam::444455556666:role/r', RoleSessionName: 'test' },
        masterCredentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'x' },
        clientConfig: { region: 'eu-west-1', endpoint: sim.url, maxAttempts: 1 },
      })();
    sim.faults.set({ denyNext: 1 });
    await assume();
    assert.equal(sim.faults.current().denyNext, 1, 'not spent on AssumeRole');
    sim.faults.set({ denyNext: 1, operations: ['AssumeRole'] });
    await assert.rejects(assume(), (e: Error) => {
      assert.equal(e.name, 'AccessDenied');
      assert.match(e.message, /sts:AssumeRole on resource: arn:aws:iam::444455556666:role\/r$/);
      return true;
    });
    await assume();
    assert.deepEqual(
      sim.log.entries().map((e) => [e.operation, e.status]),
      [
        ['AssumeRole', 200],
        ['AssumeRole', 403],
        ['AssumeRole', 200],
      ],
    );
    sim.faults.reset();
  });

  it('rejects nonsense fault settings', () => {
    assert.throws(() => sim.faults.set({ throttleNext: -1 }), TypeError);
    assert.throws(() => sim.faults.set({ latencyMs: 1.5 }), TypeError);
    assert.throws(() => sim.faults.set({ answerDelayMs: -5 }), TypeError);
    assert.throws(() => sim.faults.set({ dropAnswerNext: 0.5 }), TypeError);
  });
});
