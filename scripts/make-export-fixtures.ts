/**
 * Writes tests/fixtures/exports/* from the fake vault (tests/fixtures/exports/fake-vault.ts), in each
 * password manager's documented export layout (sources: tests/fixtures/exports/README.md).
 * Run: `npx tsx scripts/make-export-fixtures.ts`. The output is committed; the tests read it, not this.
 * Zips are written with fixed timestamps so running it again gives the same bytes.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { FAKE_ITEMS, LASTPASS_NOTE_CODES, type FakeItem } from '../tests/fixtures/exports/fake-vault';

const OUT = resolve(import.meta.dirname, '../tests/fixtures/exports');

const write = (name: string, content: string | Uint8Array) => writeFileSync(join(OUT, name), content);
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Deterministic stand-ins for ids and ciphertext: hex or base64 of a counter, never random. */
let counter = 0;
const fakeHex = (length: number) => {
  counter++;
  return Array.from({ length }, (_, i) => ((counter * 7 + i * 13) % 16).toString(16)).join('');
};
const fakeUuid = () => {
  const hex = fakeHex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
};
const fakeBase64 = (bytes: number) => Buffer.from(fakeHex(bytes * 2), 'hex').toString('base64');
const fakeCipherString = () => `2.${fakeBase64(16)}|${fakeBase64(48)}|${fakeBase64(32)}`;

// ---------------------------------------------------------------------------------------------------------
// Bitwarden: Tools → Export vault → "JSON", and the two kinds of "JSON (Encrypted)"

function bitwardenItem(item: FakeItem) {
  return {
    passwordHistory: null,
    revisionDate: '2026-03-02T09:14:07.000Z',
    creationDate: '2025-11-20T18:02:51.000Z',
    deletedDate: null,
    id: fakeUuid(),
    organizationId: null,
    folderId: null,
    type: 1,
    reprompt: 0,
    name: item.title,
    notes: item.notes || null,
    favorite: false,
    fields: item.fields.map((field) => ({
      name: field.name,
      value: field.value,
      type: field.hidden ? 1 : 0,
      linkedId: null,
    })),
    login: {
      fido2Credentials: [],
      uris: item.url ? [{ match: null, uri: item.url }] : [],
      username: item.username,
      password: item.password,
      totp: item.totp,
    },
    collectionIds: null,
  };
}

function bitwarden(): void {
  const wifi = {
    ...bitwardenItem({
      title: 'Home Wi-Fi',
      url: null,
      username: '',
      password: '',
      totp: null,
      notes: '',
      fields: [],
    }),
    type: 2,
    notes: 'Network: fieldmouse-5G',
    secureNote: { type: 0 },
    login: undefined,
  };
  write(
    'bitwarden.json',
    json({
      encrypted: false,
      folders: [{ id: fakeUuid(), name: 'Personal' }],
      items: [...FAKE_ITEMS.map(bitwardenItem), wifi],
    }),
  );
  // "JSON (Encrypted)", "Account restricted": the same layout, every string a cipher string.
  write(
    'bitwarden-encrypted-account.json',
    json({
      encrypted: true,
      encKeyValidation_DO_NOT_EDIT: fakeCipherString(),
      folders: [{ id: fakeUuid(), name: fakeCipherString() }],
      items: FAKE_ITEMS.map((item) => ({
        ...bitwardenItem(item),
        name: fakeCipherString(),
        notes: fakeCipherString(),
        fields: [],
        login: {
          uris: [{ match: null, uri: fakeCipherString() }],
          username: fakeCipherString(),
          password: fakeCipherString(),
          totp: null,
        },
      })),
    }),
  );
  // "JSON (Encrypted)", "Password protected": one encrypted blob and the KDF settings to open it.
  write(
    'bitwarden-encrypted-password.json',
    json({
      encrypted: true,
      passwordProtected: true,
      salt: fakeBase64(16),
      kdfType: 0,
      kdfIterations: 600000,
      kdfMemory: null,
      kdfParallelism: null,
      encKeyValidation_DO_NOT_EDIT: fakeCipherString(),
      data: fakeCipherString(),
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// 1Password 8: File → Export → "1PUX" (a zip: export.attributes, export.data)

/** Every zip entry gets this time, so the fixtures' bytes do not change from run to run. */
const ZIP_TIME = new Date('2026-03-02T09:14:07Z');

const onePuxField = (title: string, value: Record<string, unknown>) => ({
  title,
  id: fakeHex(26),
  value,
  guarded: false,
  multiline: false,
  dontGenerate: false,
  inputTraits: { keyboard: 'default', correction: 'default', capitalization: 'default' },
});

function onePuxItem(item: FakeItem) {
  const sections = [];
  const custom = item.fields.map((field) =>
    onePuxField(field.name, field.hidden ? { concealed: field.value } : { string: field.value }),
  );
  if (item.totp) custom.unshift(onePuxField('one-time password', { totp: item.totp }));
  if (custom.length > 0) sections.push({ title: '', name: 'add more', fields: custom });
  return {
    uuid: fakeHex(26),
    favIndex: 0,
    createdAt: 1763661771,
    updatedAt: 1772442847,
    state: 'active',
    categoryUuid: '001',
    details: {
      loginFields: [
        { value: item.username, id: '', name: 'username', fieldType: 'T', designation: 'username' },
        { value: item.password, id: '', name: 'password', fieldType: 'P', designation: 'password' },
      ],
      notesPlain: item.notes,
      sections,
      passwordHistory: [{ value: `${item.password}-old`, time: 1700000000 }],
    },
    overview: {
      subtitle: item.username,
      urls: item.url ? [{ label: 'website', url: item.url }] : [],
      title: item.title,
      url: item.url ?? '',
      ps: 100,
      pbe: 86.4,
      pgrng: true,
      tags: ['Personal'],
    },
  };
}

function onePux(): void {
  const data = {
    accounts: [
      {
        attrs: {
          accountName: 'Alice Example',
          name: 'Alice Example',
          avatar: '',
          email: 'alice@example.com',
          uuid: fakeHex(26).toUpperCase(),
          domain: 'https://my.1password.com/',
        },
        vaults: [
          {
            attrs: { uuid: fakeHex(26), desc: '', avatar: '', name: 'Personal', type: 'P' },
            items: FAKE_ITEMS.map(onePuxItem),
          },
        ],
      },
    ],
  };
  const attributes = { version: 3, description: '1Password Unencrypted Export', createdAt: 1772442847 };
  write(
    'onepassword.1pux',
    zipSync(
      {
        'export.attributes': [strToU8(JSON.stringify(attributes)), { mtime: ZIP_TIME }],
        'export.data': [strToU8(JSON.stringify(data)), { mtime: ZIP_TIME }],
        'files/': [new Uint8Array(0), { mtime: ZIP_TIME }],
      },
      { level: 6 },
    ),
  );
}

// ---------------------------------------------------------------------------------------------------------
// CSV exports

/** A CSV cell quoted the RFC 4180 way; `always` quotes every cell (KeePassXC does). */
const csvCell = (value: string, always: boolean) =>
  always || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
const csv = (rows: string[][], always: boolean, eol = '\n') =>
  rows.map((row) => row.map((cell) => csvCell(cell, always)).join(',')).join(eol) + eol;

/** Formats without custom fields: the fields go in the note, each under its name. */
const notesWithFields = (item: FakeItem) =>
  [item.notes, ...item.fields.map((field) => `${field.name}:\n${field.value}`)].filter(Boolean).join('\n\n');

const totpUri = (item: FakeItem) =>
  !item.totp || item.totp.startsWith('otpauth:')
    ? (item.totp ?? '')
    : `otpauth://totp/${encodeURIComponent(item.title)}:${encodeURIComponent(item.username)}?secret=${item.totp}&period=30&digits=6&issuer=${encodeURIComponent(item.title)}`;

// KeePassXC: Database → Export → "CSV File…" (every cell quoted; no custom attributes)
function keePassXc(): void {
  const header = [
    'Group',
    'Title',
    'Username',
    'Password',
    'URL',
    'Notes',
    'TOTP',
    'Icon',
    'Last Modified',
    'Created',
  ];
  const rows = FAKE_ITEMS.map((item) => [
    'Root/Internet',
    item.title,
    item.username,
    item.password,
    item.url ?? '',
    notesWithFields(item),
    totpUri(item),
    '0',
    '2026-03-02T09:14:07Z',
    '2025-11-20T18:02:51Z',
  ]);
  write('keepassxc.csv', csv([header, ...rows], true));
}

// ---------------------------------------------------------------------------------------------------------
// Proton Pass: Settings → Export → "ZIP", "CSV" or "PGP"

function protonItem(item: FakeItem, shareId: string) {
  const extraFields = item.fields.map((field) => ({
    fieldName: field.name,
    type: field.hidden ? 'hidden' : 'text',
    data: { content: field.value },
  }));
  return {
    itemId: fakeBase64(32),
    shareId,
    data: {
      metadata: { name: item.title, note: item.notes, itemUuid: fakeHex(8) },
      extraFields,
      type: 'login',
      content: {
        itemEmail: item.username.includes('@') ? item.username : '',
        password: item.password,
        urls: item.url ? [item.url] : [],
        totpUri: item.totp ? totpUri(item) : '',
        passkeys: [],
        itemUsername: item.username.includes('@') ? '' : item.username,
      },
    },
    state: 1,
    aliasEmail: null,
    contentFormatVersion: 6,
    createTime: 1763661771,
    modifyTime: 1772442847,
    pinned: false,
  };
}

function protonPass(): void {
  const shareId = fakeBase64(32);
  const trashed = {
    ...protonItem({ ...FAKE_ITEMS[0]!, title: 'GitHub (old)', password: 'Tr4sh-pass-Qm2!' }, shareId),
    state: 2,
  };
  const data = {
    version: '1.31.4',
    userId: fakeBase64(32),
    encrypted: false,
    vaults: {
      [shareId]: {
        name: 'Personal',
        description: 'Personal vault',
        display: { color: 0, icon: 0 },
        items: [...FAKE_ITEMS.map((item) => protonItem(item, shareId)), trashed],
      },
    },
  };
  write(
    'protonpass.zip',
    zipSync({ 'Proton Pass/data.json': [strToU8(JSON.stringify(data)), { mtime: ZIP_TIME }] }, { level: 6 }),
  );
  // Papa.unparse: header from the first object's keys, quotes only where needed, CRLF.
  const header = [
    'type',
    'name',
    'url',
    'email',
    'username',
    'password',
    'note',
    'totp',
    'createTime',
    'modifyTime',
    'vault',
  ];
  const rows = FAKE_ITEMS.map((item) => [
    'login',
    item.title,
    item.url ?? '',
    item.username.includes('@') ? item.username : '',
    item.username.includes('@') ? '' : item.username,
    item.password,
    // Proton's CSV leaves custom fields out ("FIXME" in its exporter): only the note.
    item.notes,
    item.totp ? totpUri(item) : '',
    '1763661771',
    '1772442847',
    'Personal',
  ]);
  write('protonpass.csv', csv([header, ...rows], false, '\r\n'));
  // "PGP": the zip encrypted to a passphrase, armored. Only its wrapping matters to Spare.
  const body = Buffer.from(fakeHex(600), 'hex').toString('base64').replace(/.{64}/g, '$&\n');
  write(
    'protonpass-encrypted.pgp',
    `-----BEGIN PGP MESSAGE-----\n\n${body}\n=${fakeBase64(3)}\n-----END PGP MESSAGE-----\n`,
  );
}

// ---------------------------------------------------------------------------------------------------------
// LastPass: Advanced Options → Export → "LastPass CSV File" (quotes only where needed, CRLF)

function lastPass(): void {
  const header = ['url', 'username', 'password', 'totp', 'extra', 'name', 'grouping', 'fav'];
  const logins = FAKE_ITEMS.map((item) => [
    item.url ?? '',
    item.username,
    item.password,
    item.totp ?? '',
    // A login has no custom fields in LastPass: what the others keep in fields is written in its notes.
    notesWithFields(item),
    item.title,
    'Personal',
    '0',
  ]);
  // A secure note of a custom type with a "Recovery codes" text field.
  const typedNote = [
    'http://sn',
    '',
    '',
    '',
    [
      'NoteType:Custom_771209',
      'Language:en-US',
      'Account:carol@example.org',
      `Recovery codes:${LASTPASS_NOTE_CODES[0]}`,
      ...LASTPASS_NOTE_CODES.slice(1),
      'Notes:Printed copy in the desk drawer.',
    ].join('\n'),
    'Bank recovery',
    'Personal',
    '0',
  ];
  write('lastpass.csv', csv([header, ...logins, typedNote], false, '\r\n'));
}

bitwarden();
onePux();
keePassXc();
protonPass();
lastPass();
