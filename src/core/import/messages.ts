/**
 * The English refusals (what the CLI prints; the popup shows its own translation of each code). Each says
 * what to export instead.
 */
import { SpareError } from '../errors';
import type { ExportFormat } from './types';

export const FORMAT_NAMES: Readonly<Record<ExportFormat, string>> = {
  bitwarden: 'Bitwarden',
  '1pux': '1Password',
  keepassxc: 'KeePassXC',
  protonpass: 'Proton Pass',
  lastpass: 'LastPass',
};

/** What to choose in each product's export dialog to get a file Spare reads. */
export const WHAT_TO_EXPORT: Readonly<Record<ExportFormat, string>> = {
  bitwarden: 'Export again choosing the format "JSON" (not "JSON (Encrypted)").',
  '1pux': 'Export again from the 1Password app choosing "1PUX".',
  keepassxc: 'Export again with Database → Export → "CSV File…".',
  protonpass: 'Export again choosing "ZIP" or "CSV", without encryption (no PGP passphrase).',
  lastpass: 'Export again from the LastPass vault: Advanced Options → Export → "LastPass CSV File".',
};

export function encryptedExport(format: ExportFormat): SpareError {
  return new SpareError(
    'export-encrypted',
    `This ${FORMAT_NAMES[format]} export is encrypted, and Spare reads only unencrypted exports. ${WHAT_TO_EXPORT[format]}`,
  );
}

export function unknownFormat(): SpareError {
  return new SpareError(
    'export-unknown-format',
    'Spare does not recognise this file as a password-manager export. Export from Bitwarden as "JSON", from 1Password as "1PUX", from KeePassXC or LastPass as "CSV", or from Proton Pass as unencrypted "ZIP" or "CSV".',
  );
}

export function notThisFormat(format: ExportFormat): SpareError {
  return new SpareError(
    'export-unknown-format',
    `This file is not a ${FORMAT_NAMES[format]} export Spare reads. ${WHAT_TO_EXPORT[format]}`,
  );
}

export function corruptExport(format: ExportFormat, detail: string): SpareError {
  return new SpareError(
    'export-corrupt',
    `This ${FORMAT_NAMES[format]} export is damaged (${detail}), so Spare cannot read it. ${WHAT_TO_EXPORT[format]}`,
  );
}
