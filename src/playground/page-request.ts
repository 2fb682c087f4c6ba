import type { Request } from 'express';

/** Whether a request for the endpoint comes from a browser asking for a page. */
export function wantsPage(req: Request): boolean {
  return (
    req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) ===
    'text/html'
  );
}
