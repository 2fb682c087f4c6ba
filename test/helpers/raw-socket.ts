import { once } from 'node:events';
import WebSocket from 'ws';

export interface RawMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

/**
 * A graphql-transport-ws socket that sends frames as given: for payloads a client library cannot
 * encode (JSON nested deeper than JSON.stringify recurses). Acknowledged before it is returned.
 */
export class RawSocket {
  private readonly messages: RawMessage[] = [];
  private closeCode: number | undefined;
  private readonly changed = new EventTarget();

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as RawMessage);
      this.changed.dispatchEvent(new Event('change'));
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.changed.dispatchEvent(new Event('change'));
    });
  }

  static async acked(httpUrl: string): Promise<RawSocket> {
    const socket = new WebSocket(httpUrl.replace(/^http/, 'ws'), ['graphql-transport-ws']);
    await once(socket, 'open');
    const raw = new RawSocket(socket);
    socket.send(JSON.stringify({ type: 'connection_init' }));
    await raw.next((m) => m.type === 'connection_ack');
    return raw;
  }

  send(frame: string): void {
    this.socket.send(frame);
  }

  /** A `subscribe` frame built by hand around an already-encoded variables JSON. */
  subscribe(id: string, query: string, variablesJson = '{}'): void {
    this.send(
      `{"id":${JSON.stringify(id)},"type":"subscribe","payload":{"query":${JSON.stringify(query)},"variables":${variablesJson}}}`,
    );
  }

  /** The first message matching `match`; rejects if the socket closes first (with its code). */
  async next(match: (m: RawMessage) => boolean): Promise<RawMessage> {
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (this.closeCode !== undefined) throw new Error(`closed with ${this.closeCode}`);
      await once(this.changed, 'change');
    }
  }

  close(): void {
    this.socket.terminate();
  }
}
