import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import WebSocket from 'ws';
import { createLogger } from '../../src/logger.js';
import type { Logger } from '../../src/logger.js';

export interface TestKey {
  name: string;
  key: string;
  scopes: string[];
  firewalls: string[];
}

export function newKey(name: string, scopes: string[], firewalls: string[]): TestKey {
  return { name, key: randomBytes(24).toString('base64url'), scopes, firewalls };
}

/** Writes the keys file as an operator would: digests only, never a key. */
export function writeKeys(file: string, keys: TestKey[]): void {
  writeFileSync(
    file,
    JSON.stringify({
      keys: keys.map((k) => ({
        name: k.name,
        sha256: createHash('sha256').update(k.key).digest('hex'),
        scopes: k.scopes,
        firewalls: k.firewalls,
      })),
    }),
  );
}

export const bearer = (credential: string) => ({ authorization: `Bearer ${credential}` });

/** A logger whose JSON lines are kept for assertions. */
export function captureLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

export interface Handshake {
  acked: boolean;
  /** Set when the server closed the socket (before or without an ack). */
  closeCode?: number;
  socket: WebSocket;
}

/**
 * A raw graphql-transport-ws handshake, to see exactly what the server answers to
 * `connection_init`: an ack, or a close code.
 */
export async function handshake(
  httpUrl: string,
  payload: Record<string, unknown> | undefined,
  timeoutMs = 5000,
): Promise<Handshake> {
  const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return new Promise<Handshake>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to connection_init')), timeoutMs);
    socket.once('message', (data) => {
      clearTimeout(timer);
      const message = JSON.parse(String(data)) as { type: string };
      resolve({ acked: message.type === 'connection_ack', socket });
    });
    socket.once('close', (code) => {
      clearTimeout(timer);
      resolve({ acked: false, closeCode: code, socket });
    });
    socket.send(JSON.stringify({ type: 'connection_init', ...(payload ? { payload } : {}) }));
  });
}

/** Resolves with the close code once the socket closes, or rejects after `timeoutMs`. */
export function closed(socket: WebSocket, timeoutMs: number): Promise<number> {
  if (socket.readyState === WebSocket.CLOSED) return Promise.resolve(-1);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`socket still open after ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
