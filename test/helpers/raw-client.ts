import WebSocket from 'ws';

export interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

/** A raw protocol client: every frame the server sends is recorded, nothing is automatic. */
export class RawClient {
  readonly messages: Message[] = [];
  closeCode: number | undefined;
  closeReason = '';
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as Message);
      this.wake();
    });
    socket.on('close', (code, reason) => {
      this.closeCode = code;
      this.closeReason = String(reason);
      this.wake();
    });
  }

  static async open(
    url: string,
    protocol: string | undefined = 'graphql-transport-ws',
    options: WebSocket.ClientOptions = {},
  ): Promise<RawClient> {
    const socket = new WebSocket(url.replace(/^http/, 'ws'), protocol ? [protocol] : [], options);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new RawClient(socket);
  }

  static async acked(url: string): Promise<RawClient> {
    const client = await RawClient.open(url);
    client.send({ type: 'connection_init' });
    await client.next((m) => m.type === 'connection_ack');
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The first recorded message matching `match`, waiting up to `timeoutMs` for it. */
  async next(match: (m: Message) => boolean, timeoutMs = 3000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (this.closeCode !== undefined) throw new Error(`closed with ${this.closeCode}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a message');
      await this.waitUpTo(left);
    }
  }

  async closed(timeoutMs = 3000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (this.closeCode === undefined) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('still open');
      await this.waitUpTo(left);
    }
    return this.closeCode;
  }

  /** Until the next frame or close, or `ms` at most. */
  private waitUpTo(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
