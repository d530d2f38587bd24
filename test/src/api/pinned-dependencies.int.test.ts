import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyPluginAsync } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Two packages come in at older versions than their dependants ask for, because the newer ones
 * want Node 22 (the root package.json's `overrides`): cookie 1.1 under light-my-request (fastify's
 * `inject`) and content-disposition 2.0 under the @fastify/static that @fastify/swagger-ui brings.
 * Here each dependant does, with the older package, the thing it uses that package for.
 */

const fromSwaggerUi = createRequire(createRequire(import.meta.url).resolve('@fastify/swagger-ui'));

describe('dependencies held at versions that support Node 20', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-pinned-'));
    await writeFile(join(dir, 'report of März.txt'), 'lines\n');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  it("fastify's inject sends cookies (light-my-request with cookie 1.1)", async () => {
    const app = Fastify();
    app.get('/', (request) => ({ cookie: request.headers.cookie }));
    const answer = await app.inject({ url: '/', cookies: { session: 'a b', theme: 'dark' } });
    expect(answer.json()).toEqual({ cookie: 'session=a%20b; theme=dark' });
    await app.close();
  });

  it("swagger-ui's static files name a download (content-disposition 2.0)", async () => {
    const fastifyStatic = fromSwaggerUi('@fastify/static') as FastifyPluginAsync<{ root: string }>;
    const app = Fastify();
    await app.register(fastifyStatic, { root: dir });
    // The plugin adds `download` to every reply; its types come with the other copy of it.
    app.get('/download', (_request, reply) =>
      (reply as unknown as { download(file: string): unknown }).download('report of März.txt'),
    );
    const answer = await app.inject({ url: '/download' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-disposition']).toBe(
      `attachment; filename="report of M?rz.txt"; filename*=UTF-8''report%20of%20M%C3%A4rz.txt`,
    );
    expect(answer.body).toBe('lines\n');
    await app.close();
  });
});
