import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { registrableDomain } from '../../../src/core/domain';
import {
  ALL_SITES,
  GENERIC_SITE,
  siteById,
  siteForDomain,
  siteForFileName,
} from '../../../src/sites/registry';
import type { SiteAdapter } from '../../../src/sites/types';

const sitesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src/sites');
const NOT_ADAPTERS = new Set(['types.ts', 'registry.ts', 'formats.ts']);
const adapterFiles = readdirSync(sitesDir).filter(
  (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !NOT_ADAPTERS.has(file),
);

const isAdapter = (value: unknown): value is SiteAdapter =>
  typeof value === 'object' && value !== null && 'id' in value && 'formats' in value && 'domains' in value;

describe('src/sites registry', () => {
  test.each(adapterFiles)('%s exports one adapter and it is registered', async (file) => {
    const module = (await import(path.join(sitesDir, file))) as Record<string, unknown>;
    const adapters = Object.values(module).filter(isAdapter);
    expect(adapters).toHaveLength(1);
    const adapter = adapters[0]!;
    expect(adapter === GENERIC_SITE || ALL_SITES.includes(adapter), `${file} is not in ALL_SITES`).toBe(true);
  });

  test.each(adapterFiles)('%s cites its sources and lists test URLs', (file) => {
    const text = readFileSync(path.join(sitesDir, file), 'utf8');
    if (file === 'generic.ts') return;
    expect(text).toMatch(/Sources:/);
    expect(text).toMatch(/Test URLs:/);
  });

  test('every registered adapter has its own file', () => {
    expect(ALL_SITES.length).toBe(adapterFiles.length - 1);
  });

  test('ids and domains are unique', () => {
    const ids = ALL_SITES.map((site) => site.id);
    expect(new Set(ids).size).toBe(ids.length);
    const domains = ALL_SITES.flatMap((site) => [...site.domains, ...(site.extraDomains ?? [])]);
    expect(new Set(domains).size).toBe(domains.length);
  });
});

describe.each(ALL_SITES.map((site) => [site.id, site] as const))('adapter %s', (_id, site) => {
  test('domains are registrable domains', () => {
    for (const domain of [...site.domains, ...(site.extraDomains ?? [])]) {
      expect(registrableDomain(domain)).toBe(domain);
      expect(siteForDomain(domain)).toBe(site);
    }
  });

  test('is found by id', () => {
    expect(siteById(site.id.toUpperCase())).toBe(site);
  });

  test('format patterns are anchored', () => {
    for (const format of site.formats) {
      expect(format.normalisedPattern.source.startsWith('^')).toBe(true);
      expect(format.normalisedPattern.source.endsWith('$')).toBe(true);
    }
  });

  test('a regenerate URL, when given, is https', () => {
    if (site.regenerateUrl) expect(new URL(site.regenerateUrl).protocol).toBe('https:');
  });
});

describe('lookups', () => {
  test.each([
    ['github-recovery-codes.txt', 'github'],
    ['github-recovery-codes (1).txt', 'github'],
    ['/home/a/Downloads/gitlab-recovery-codes.txt', 'gitlab'],
    ['discord_backup_codes.txt', 'discord'],
    ['Backup-codes-alice.smith.txt', 'google'],
    ['two-factor-backup-codes.txt', 'wordpress'],
    ['001-github-recovery-codes.txt', 'github'],
    ['alice_discord_backup_codes.txt', 'discord'],
    ['108-adv-utf8-bom-github.txt', 'github'],
    ['pypi recovery codes.txt', 'pypi'],
    ['GitLab codes', 'gitlab'],
  ])('file %s → %s', (name, id) => {
    expect(siteForFileName(name)?.id).toBe(id);
  });

  test.each([
    'codes.txt',
    'github-recovery-codes.txt.exe',
    'github.exe',
    'my-x-codes.txt',
    'backup-codes.txt',
    '',
  ])('file %j → none', (name) => {
    expect(siteForFileName(name)).toBeUndefined();
  });

  test('unknown ids and domains find nothing; generic is reachable by id only', () => {
    expect(siteById('nope')).toBeUndefined();
    expect(siteForDomain('example.com')).toBeUndefined();
    expect(siteForDomain('')).toBeUndefined();
    expect(siteById('generic')).toBe(GENERIC_SITE);
    expect(ALL_SITES).not.toContain(GENERIC_SITE);
  });
});
