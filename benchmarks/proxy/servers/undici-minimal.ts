// The ceiling for a Node proxy: every request piped through one undici Pool with `stream`, no
// routing, no header hygiene.
import { createServer } from 'node:http';
import { Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { backendOrigin, serve } from '../child.js';

const pool = new Pool(backendOrigin());

serve(
  createServer((req, res) => {
    pool.stream(
      {
        path: req.url ?? '/',
        method: req.method as Dispatcher.HttpMethod,
        headers: req.headers,
        body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
        opaque: res,
      },
      ({ statusCode, headers, opaque }) => {
        const response = opaque as typeof res;
        response.writeHead(statusCode, headers as Record<string, string | string[]>);
        return response;
      },
      (error) => {
        if (error && !res.headersSent) {
          res.statusCode = 502;
          res.end();
        }
      },
    );
  }),
);
