/**
 * Decides whether a PMC article's licence allows text mining: Creative Commons licences (any
 * variant), CC0/public domain, and PMC's own "Open Access Subset" wording do; a publisher copyright
 * line or no licence at all does not. `commercialOnly` narrows to CC BY / CC BY-SA / CC0 / public
 * domain (the `oa_comm` collection) for deployments that need commercial reuse.
 *
 *   textMiningLicence('https://creativecommons.org/licenses/by-nc/4.0/') → 'cc-by-nc'
 */
export type LicenceClass = 'cc-by' | 'cc-by-sa' | 'cc-by-nd' | 'cc-by-nc' | 'cc0' | 'public-domain' | 'pmc-oa-subset';

export function textMiningLicence(licence: string | undefined): LicenceClass | null {
  if (!licence) return null;
  const l = licence.toLowerCase();
  if (/publicdomain\/zero|\bcc0\b|cc-zero/.test(l)) return 'cc0';
  if (/publicdomain\/mark|public domain/.test(l)) return 'public-domain';
  const url = /creativecommons\.org\/licenses\/([a-z-]+)/.exec(l)?.[1];
  const words = /creative commons\s+(attribution[\w\s-]*)/.exec(l)?.[1] ?? /\bcc[ -]by([ -](nc|nd|sa))*/.exec(l)?.[0] ?? '';
  const kind = url ?? words;
  if (kind) {
    if (/nc|non-?commercial/.test(kind)) return 'cc-by-nc';
    if (/nd|no-?deriv/.test(kind)) return 'cc-by-nd';
    if (/sa|share-?alike/.test(kind)) return 'cc-by-sa';
    return 'cc-by';
  }
  if (/creative commons/.test(l)) return 'cc-by';
  if (/open access subset/.test(l)) return 'pmc-oa-subset';
  return null;
}

/** Licences of the `oa_comm` collection: commercial reuse allowed. */
export function allowsCommercialUse(c: LicenceClass | null): boolean {
  return c === 'cc-by' || c === 'cc-by-sa' || c === 'cc0' || c === 'public-domain';
}
