import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

/**
 * Paths that never fall back to the single-page app: the backend's, and missing files (a last
 * segment with a dot, like favicon.ico), for which HTML would only confuse the browser.
 */
function isBackendOrFilePath(urlPath: string): boolean {
  const backend = ['/api', '/socket.io', '/metrics', '/assets'].some(
    (prefix) => urlPath === prefix || urlPath.startsWith(`${prefix}/`),
  );
  return backend || (urlPath.split('/').pop() ?? '').includes('.');
}

/**
 * Serves the built dashboard from `root` at `/`, with the single-page-app fallback: a GET for an
 * unknown non-API path gets `index.html` so client-side routes survive a reload. Hashed files
 * under /assets are cached for a year; index.html is revalidated every time so a new build is
 * picked up at once. Without a build, only the API is served, and unknown paths are JSON 404s.
 */
export async function registerDashboard(
  app: FastifyInstance,
  options: { root: string | undefined },
): Promise<{ served: boolean }> {
  const root = options.root;
  const served = root !== undefined && existsSync(path.join(root, 'index.html'));
  if (served) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      index: 'index.html',
      // One route per built file, listed at start: unknown paths reach the not-found handler
      // (where the SPA fallback and the API's 404s live) instead of a catch-all route.
      wildcard: false,
      setHeaders(res, filePath) {
        const immutable = filePath.includes(`${path.sep}assets${path.sep}`);
        res.setHeader(
          'cache-control',
          immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const urlPath = request.url.split('?', 1)[0] ?? '';
    if (served && request.method === 'GET' && !isBackendOrFilePath(urlPath)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply.code(404).send({
      statusCode: 404,
      error: 'Not Found',
      message: `no route for ${request.method} ${urlPath}`,
    });
  });
  return { served };
}
