import { ListenError } from '../net/listen.js';
import { createSimulator } from './server.js';

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`${name} must be a non-negative integer, got '${raw}'`);
    process.exit(2);
  }
  return value;
}

const simulator = await createSimulator({
  port: intFromEnv('SIMULATOR_PORT', 4566),
  host: process.env.SIMULATOR_HOST || '127.0.0.1',
  seed: intFromEnv('SIMULATOR_SEED', 42),
  operationDelayMs: intFromEnv('SIMULATOR_OPERATION_DELAY_MS', 3000),
  logger: (line) => console.log(line),
}).catch((error: unknown) => {
  // A busy port is the user's to fix with a setting: one line naming it, not a stack trace.
  if (!(error instanceof ListenError)) throw error;
  console.error(`Network Firewall simulator cannot start: ${error.message}`);
  process.exit(1);
});

console.log(`Network Firewall simulator listening on ${simulator.url}`);
for (const fw of simulator.control.firewalls()) {
  console.log(`  ${fw.arn}  (${fw.availabilityZones.join(', ')})`);
}
console.log(`Control API: ${simulator.url}/_simulator/health`);

let stopping = false;
function stop(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`${signal} received, shutting down`);
  simulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
