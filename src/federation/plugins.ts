import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';

/**
 * Apollo Server turns on inline tracing by itself for a federated schema: any caller sending
 * `apollo-federation-include-trace: ftv1` would get per-field timings and error details in
 * `extensions.ftv1`. The router's usage reporting is not worth that to an untrusted caller, and
 * this gateway has its own metrics and tracing.
 */
export function subgraphPlugins<C extends object>(federation: boolean): ApolloServerPlugin<C>[] {
  return federation ? [ApolloServerPluginInlineTraceDisabled()] : [];
}
