import { startTelemetry } from './telemetry/bootstrap.js';

// Before the gateway's modules load: tracing instruments HTTP, Express and the AWS SDK as they do.
const telemetry = await startTelemetry();
const { ConfigError, loadConfig } = await import('./config.js');
const { createLogger } = await import('./logger.js');
const { createServer } = await import('./server.js');

/** Time allowed after SHUTDOWN_TIMEOUT_MS for the last steps (Redis leases, AWS clients). */
const FINAL_STEPS_MS = 5000;

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
    logger.info(
      { signal, shutdownTimeoutMs: config.shutdownTimeoutMs },
      'Shutting down: finishing work in flight',
    );
    // close() keeps SHUTDOWN_TIMEOUT_MS itself; this is for a step after it that hangs (Redis).
    const force = setTimeout(() => {
      logger.error('Shutdown is stuck; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + FINAL_STEPS_MS);
    force.unref();
    // Exit 1 when the deadline cut work off (each mutation audited with outcome unknown): the
    // orchestrator's record then shows that this stop was not clean.
    server.close().then(
      async ({ drained, abandoned }) => {
        logger.info({ drained, abandoned }, 'Shut down');
        // The spans of the last requests are still buffered: sent before exit, or lost.
        await telemetry.shutdown().catch(() => {});
        process.exit(drained ? 0 : 1);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // The only signal handlers in the gateway are here: SIGHUP re-reads the keys file and manifests.
  process.on('SIGHUP', () => {
    logger.info('SIGHUP: reloading the API keys file and trusted documents');
    server.reload();
  });
}

main().catch((error: unknown) => {
  console.error(
    'nfw-flow-gateway failed to start:',
    error instanceof Error ? error.message : error,
  );
  process.exit(1);
});
