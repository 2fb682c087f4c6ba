import type { Express, Request, Response } from 'express';
import { wantsPage } from './page-request.js';

/**
 * What a browser opening the endpoint reads with PLAYGROUND=false. Without it Apollo answers the
 * page request with its CSRF-prevention error (JSON about an `Apollo-Require-Preflight` header),
 * which tells someone who followed a link nothing about what this URL is for.
 */
const MESSAGE = [
  'This URL is the nfw-flow-gateway GraphQL endpoint.',
  '',
  'It takes GraphQL requests as HTTP POST with Content-Type: application/json, for example:',
  '',
  `  curl -s <this URL> -H 'content-type: application/json' -d '{"query":"{ __typename }"}'`,
  '',
  'and subscriptions over websockets (graphql-transport-ws) on the same URL.',
  'The in-browser playground is turned off on this gateway (PLAYGROUND=false).',
  '',
].join('\n');

/** Answers browsers' page requests with MESSAGE; every other request falls through to GraphQL. */
export function mountPlaygroundOff(app: Express, endpoint: string): void {
  app.get(endpoint, (req: Request, res: Response, next) => {
    res.vary('Accept');
    if (!wantsPage(req)) {
      next();
      return;
    }
    res
      .set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' })
      .type('text/plain; charset=utf-8')
      .send(MESSAGE);
  });
}
