export * from './result.js';
export * from './ip.js';
export * from './port.js';
export * from './protocol.js';
