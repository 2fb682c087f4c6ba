// Runs the chat bot from environment variables; see ../README.md.
import { startBot } from './bot.js';
import type { Bot } from './bot.js';
import { consoleLogger, describeError } from './log.js';

function env(name: string): string | undefined {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
}

let bot: Bot;
try {
  const webhookUrl = env('WEBHOOK_URL');
  const firewallArn = env('FIREWALL_ARN');
  if (!webhookUrl) throw new Error('WEBHOOK_URL is required');
  if (!firewallArn) throw new Error('FIREWALL_ARN is required');
  bot = startBot({
    gatewayUrl: env('GATEWAY_URL') ?? 'ws://localhost:4000/graphql',
    webhookUrl,
    firewallArn,
    availabilityZone: env('AVAILABILITY_ZONE'),
    flowOperationId: env('FLOW_OPERATION_ID'),
    gatewayToken: env('GATEWAY_TOKEN'),
    logger: consoleLogger,
  });
} catch (error) {
  consoleLogger.error('invalid configuration', { error: describeError(error) });
  process.exit(2);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    consoleLogger.info('stopping', { signal });
    void bot.stop();
  });
}

// The bot never rejects `done`, and a failure after start must not crash it either.
process.on('unhandledRejection', (error) => {
  consoleLogger.error('unhandled rejection', { error: describeError(error) });
});

const outcome = await bot.done;
process.exitCode = outcome.reason === 'failed' ? 1 : 0;
// Everything is disposed by now, so the process should exit on its own; this only bounds a
// handle something else left open, so that a container's stop does not wait for SIGKILL.
setTimeout(() => process.exit(), 1000).unref();
