import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`nfw-flow-gateway: invalid configuration: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  if (config.backend === 'simulator') {
    logger.info(
      'Backend: the built-in Network Firewall simulator with demo data (no AWS calls). Set NFW_BACKEND=aws for real AWS.',
    );
  } else {
    logger.info(
      { region: config.awsRegion ?? '(SDK default chain)' },
      'Backend: AWS Network Firewall',
    );
  }
  const server = await createServer(config, { logger });
  logger.info({ url: server.url }, `GraphQL gateway ready at ${server.url}`);
  logger.info({ metrics: server.metricsUrl }, 'Prometheus metrics');
  if (server.simulator) {
    logger.info(
      { simulator: server.simulator.url },
      'Simulator endpoint (AWS JSON 1.0), usable with --endpoint-url',
    );
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'Shutting down');
    // A stuck close must not keep the process alive past what orchestrators wait for.
    const force = setTimeout(() => {
      logger.error('Shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(
    'nfw-flow-gateway failed to start:',
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
