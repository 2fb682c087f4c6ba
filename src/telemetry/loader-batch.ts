import { tracer } from './tracer.js';

/**
 * One span per DataLoader batch, current while the batch's AWS calls run, so that they are its
 * children: a query's trace shows which resolver fields were answered by one batched call.
 */
export function inBatchSpan<T>(loader: string, size: number, run: () => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(
    `dataloader.batch ${loader}`,
    { attributes: { 'dataloader.name': loader, 'dataloader.batch.size': size } },
    (span) => run().finally(() => span.end()),
  );
}
