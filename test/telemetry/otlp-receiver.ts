import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpRequest {
  path: string;
  contentType: string;
  body: Buffer;
}

/** A span as OTLP/JSON carries it (ids in hex, attributes as typed values). */
export interface JsonSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
  links?: { traceId: string; spanId: string }[];
  service: string | undefined;
}

interface JsonExport {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
    scopeSpans?: { spans?: Omit<JsonSpan, 'service'>[] }[];
  }[];
}

/**
 * An OTLP/HTTP collector of the smallest kind, on a free port: it keeps what each export
 * request carried and answers 200, as a collector does. Tests wait on its `received` events.
 */
export class OtlpReceiver {
  readonly requests: OtlpRequest[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      this.requests.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
      res.end(req.headers['content-type']?.includes('json') ? '{}' : '');
      for (const wake of this.waiters) wake();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Every span received as OTLP/JSON so far. */
  jsonSpans(): JsonSpan[] {
    const spans: JsonSpan[] = [];
    for (const request of this.requests) {
      if (!request.contentType.includes('json')) continue;
      const body = JSON.parse(request.body.toString('utf8')) as JsonExport;
      for (const resourceSpans of body.resourceSpans ?? []) {
        const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')
          ?.value.stringValue;
        for (const scope of resourceSpans.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) spans.push({ ...span, service });
        }
      }
    }
    return spans;
  }

  /** Resolves once `check` holds for what has been received (checked again on each request). */
  until<T>(check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const wake = () => {
        const value = check();
        if (value === undefined) return;
        this.waiters.delete(wake);
        clearTimeout(timer);
        resolve(value);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(new Error(`not received within ${timeoutMs} ms (${this.requests.length} exports)`));
      }, timeoutMs);
      this.waiters.add(wake);
    });
  }
}
