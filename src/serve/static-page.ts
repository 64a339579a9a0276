/**
 * Serves the analysts' one-page application (page/: plain HTML, CSS and JavaScript, no framework,
 * nothing fetched at run time) from the same process as the API, under a strict Content Security
 * Policy: only the page's own script and style run, even if some text were ever mis-escaped.
 */
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The page folder beside this module, or in the sources when running from a build (dist/). */
export function pageDir(): string {
  const here = fileURLToPath(new URL('./page/', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../../../src/serve/page/', import.meta.url));
}

export async function installStaticPage(app: FastifyInstance): Promise<void> {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return payload;
  });
  await app.register(fastifyStatic, { root: pageDir(), prefix: '/', index: ['index.html'], wildcard: false, decorateReply: false });
}
