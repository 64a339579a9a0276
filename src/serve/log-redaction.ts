/**
 * What the request log keeps of a request: fastify's usual fields, with secrets taken out of the
 * URL. A client may put the API key (or any token) in the query string, where no header redaction
 * reaches; values of parameters named like a secret, and the server's own key wherever it appears,
 * are replaced.
 *
 *   redactUrl('/api/search?q=x&api_key=s3cret')  // '/api/search?q=x&api_key=[REDACTED]'
 */
import type { FastifyRequest } from 'fastify';

const SECRET_NAME = /key|token|secret|passw|auth|session/i;
const REDACTED = '[REDACTED]';

export function redactUrl(url: string, apiKey?: string): string {
  let out = url;
  if (apiKey) {
    for (const form of new Set([apiKey, encodeURIComponent(apiKey)])) out = out.split(form).join(REDACTED);
  }
  const q = out.indexOf('?');
  if (q < 0) return out;
  const query = out
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      return SECRET_NAME.test(safeDecode(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${out.slice(0, q)}?${query}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** fastify's request serializer, with the URL redacted. */
export function requestSerializer(apiKey?: string) {
  return (request: FastifyRequest) => ({
    method: request.method,
    url: redactUrl(request.url, apiKey),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  });
}
