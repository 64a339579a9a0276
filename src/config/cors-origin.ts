/**
 * What a CORS origin of `litmine serve` may be, for the configuration file and the `--cors-origin`
 * flag alike: one scheme://host[:port] origin, never `*` (any site could then read the API from its
 * visitors' browsers) and never a path.
 *
 *   isCorsOrigin('https://lab.example.org')  // true      isCorsOrigin('*')  // false
 */
export const CORS_ORIGIN_PATTERN = '^https?://[^/\\s*]+$';

const ORIGIN = new RegExp(CORS_ORIGIN_PATTERN);

export function isCorsOrigin(value: string): boolean {
  return ORIGIN.test(value);
}
