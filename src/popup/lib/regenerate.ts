/**
 * Where the user gets new codes for a site, from its adapter (design §1 story 3). Kept out of the locked
 * screen's chunk: only the list, the detail and the add screens import it.
 */
import { siteForDomain } from '../../sites/registry';

export interface RegenerateHelp {
  siteName: string;
  url?: string;
  steps?: string;
}

export function regenerateHelp(site: string): RegenerateHelp | null {
  const adapter = siteForDomain(site);
  if (!adapter || (!adapter.regenerateUrl && !adapter.regenerateSteps)) return null;
  return { siteName: adapter.name, url: adapter.regenerateUrl, steps: adapter.regenerateSteps };
}
