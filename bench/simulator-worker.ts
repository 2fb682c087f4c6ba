/**
 * The simulator on its own thread: it stands in for AWS, whose CPU is not the gateway's, so it must
 * not compete for the event loop of the server being measured.
 */
import { parentPort } from 'node:worker_threads';
import { createSimulator } from '../src/simulator/index.js';
import { OPERATION_DELAY_MS, countByOperation } from './simulator.js';
import type { SimulatorRequest, SimulatorResponse } from './simulator.js';

const port = parentPort;
if (!port) throw new Error('simulator-worker must run as a worker thread');

const sim = await createSimulator({ operationDelayMs: OPERATION_DELAY_MS });

port.on('message', (message: SimulatorRequest) => {
  const reply = (response: SimulatorResponse) => port.postMessage(response);
  switch (message.kind) {
    case 'counts': {
      const counts = countByOperation(sim.log);
      reply({ id: message.id, counts });
      break;
    }
    case 'clear':
      sim.log.clear();
      reply({ id: message.id });
      break;
    case 'latency':
      sim.faults.set({ latencyMs: message.latencyMs });
      reply({ id: message.id });
      break;
    case 'operations':
      reply({ id: message.id, operations: sim.control.operations(message.firewallArn) });
      break;
    case 'close':
      void sim.close().then(() => {
        reply({ id: message.id });
        port.close();
      });
      break;
  }
});

port.postMessage({ id: 0, url: sim.url } satisfies SimulatorResponse);
