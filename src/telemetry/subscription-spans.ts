import type { SpanContext } from '@opentelemetry/api';
import { currentSpanContext, linksTo, tracer } from './tracer.js';

// Each cohort member's subscribe span, for the links of the pushes it receives. Weak: a member
// that leaves takes its entry with it.
const memberSpans = new WeakMap<object, SpanContext>();

/** Called as a member joins, inside its subscribe span. */
export function rememberSubscribeSpan(member: object): void {
  const context = currentSpanContext();
  if (context) memberSpans.set(member, context);
}

/** The subscribe span current now (a watch's first subscriber), to link its ticks to. */
export const subscriberSpan = currentSpanContext;

/**
 * One span per poll tick, whatever the number of topics and subscribers: the AWS calls of the
 * tick's DataLoader batch are its children, and it links to (up to MAX_LINKS of) the subscribe
 * operations it polls for. A root span: a tick serves every subscriber, not the one that
 * happened to schedule it.
 */
export function inPollTickSpan<T>(
  topics: number,
  subscribers: Iterable<SpanContext | undefined>,
  run: () => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    'subscription.poll',
    { root: true, attributes: { 'subscription.topics': topics } },
    (span) => {
      // Links added after the start, so that tracing off never walks the subscribers.
      if (span.isRecording()) span.addLinks(linksTo(subscribers));
      return run().finally(() => span.end());
    },
  );
}

/**
 * One span per event a shared execution pushes: the execution, its serialization and the writes
 * to every member, linked to the members' subscribe operations (up to MAX_LINKS).
 */
export function inPushSpan<T>(members: ReadonlySet<object>, run: () => Promise<T>): Promise<T> {
  const contexts = function* () {
    for (const member of members) yield memberSpans.get(member);
  };
  return tracer.startActiveSpan(
    'subscription.push',
    { root: true, attributes: { 'subscription.subscribers': members.size } },
    (span) => {
      if (span.isRecording()) span.addLinks(linksTo(contexts()));
      return run().finally(() => span.end());
    },
  );
}
