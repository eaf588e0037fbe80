/**
 * Words the parser reads around codes, in the languages the detector knows (en, de, fr, es, it, pt, nl, pl, tr,
 * ru, ja, zh, ko: see src/detect/lexicon.ts). The detector's lists are made for form fields and are matched
 * after its own normalisation; src/core must not depend on src/detect, so the few words the parser needs are
 * kept here, short, beside what they are for.
 */

// Letters of the scripts written with spaces (ASCII, Latin-1, Latin Extended-A/B, Greek, Cyrillic): boundaries
// are written with them because JavaScript's `\b` ignores non-ASCII letters. Spelled out rather than \p{L}:
// Unicode-property classes make V8 compile and run these regexes several times slower.
const L = 'A-Za-z0-9\\u00c0-\\u024f\\u0370-\\u03ff\\u0400-\\u04ff';
const word = (alternatives: string[]) => `(?<![${L}])(?:${alternatives.join('|')})(?![${L}])`;
const anyOf = (alternatives: string[], flags: string) => new RegExp(alternatives.join('|'), flags);

/**
 * Words after which an instruction shows an example ("enter a code like 1234 5678", "z. B. 1234-5678"). The
 * example runs to the end of its clause. Conjunctions that also mean "as" ("wie", "comme", "como", "jak",
 * "как") are included: a clause they open is never where a site lists the codes themselves.
 */
export const EXAMPLE_BEFORE = anyOf(
  [
    word([
      // en ("like this: 1234-5678": the colon after "this" still introduces the example)
      '(?:looks? )?like (?:this|so)',
      'like',
      'e\\. ?g\\.?',
      'eg\\.',
      'for example',
      'for instance',
      'such as',
      'example',
      // de
      'z\\. ?b\\.?',
      'zum beispiel',
      'beispielsweise',
      'beispiel',
      'etwa',
      'wie',
      // fr
      'par exemple',
      'p\\. ?ex\\.?',
      'exemple',
      'comme',
      'tel(?:le)?s? que',
      // es / pt
      'por ejemplo',
      'p\\. ?ej\\.?',
      'ejemplo',
      'por exemplo',
      'exemplo',
      'como',
      'tal(?:es)? como',
      'tais como',
      // it
      'ad esempio',
      'per esempio',
      'ad es\\.',
      'esempio',
      'come',
      // nl
      'bijvoorbeeld',
      'bijv\\.',
      'bv\\.',
      'voorbeeld',
      'zoals',
      // pl
      'na przykład',
      'np\\.',
      'przykład',
      'jak',
      // tr
      'örneğin',
      'mesela',
      'örnek',
      // ru
      'например',
      'пример',
      'как',
      'вроде',
    ]),
    // ja, zh, ko: no spaces between words, so no boundaries
    '例えば|たとえば|例[:：]|例如|比如|譬如|예를 들어|예[:：]',
  ],
  'gi',
);

/** Postpositions: the example comes before them ("1234-5678 gibi", "1234-5678のような", "1234-5678처럼"). */
export const EXAMPLE_AFTER = anyOf(
  [word(['gibi']), 'のような|のように|みたいな|처럼|같은|과 같이|와 같이'],
  'gi',
);

/**
 * A sentence that says what a lone code in it is: a backup, recovery, scratch or emergency code or key
 * ("Store your recovery key (ABCD-…) in a safe place").
 */
export const BACKUP_MENTION = anyOf(
  [
    word([
      // en
      '(?:backup|back-up|recovery|scratch|emergency|rescue|fallback|spare) ?(?:codes?|keys?|tokens?)',
      // de
      '(?:backup|wiederherstellungs|notfall|ersatz|sicherungs|reserve)-?(?:codes?|schlüssel)',
      // fr
      '(?:codes?|clés?) de (?:secours|récupération|sauvegarde|restauration)',
      // es / pt
      'c[óo]digos? de (?:respaldo|recuperaci[óo]n|recupera[çc][ãa]o|reserva|emergencia|backup)',
      'claves? de recuperaci[óo]n',
      'chaves? de recupera[çc][ãa]o',
      // it
      '(?:codic[ei]|chiav[ei]) di (?:backup|recupero|emergenza|riserva|ripristino)',
      // nl
      '(?:back-?up|herstel|reserve|nood)(?:codes?|sleutels?)',
      // pl
      'kody? (?:zapasow[a-ząęóśłżźćń]*|odzyskiwania|awaryjn[a-ząęóśłżźćń]*)',
      'klucz[a-z]* odzyskiwania',
      // tr
      '(?:yedek|kurtarma) (?:kod[a-zçğıöşü]*|anahtar[a-zçğıöşü]*)',
      // ru
      '(?:резервн|запасн|аварийн)[а-я]* (?:код|ключ)[а-я]*',
      '(?:код|ключ)[а-я]* восстановлени[а-я]*',
    ]),
    // ja, zh, ko
    'バックアップ ?コード|リカバリー? ?(?:コード|キー)|復旧 ?(?:コード|キー)|回復 ?(?:コード|キー)|备用(?:验证)?码|恢复(?:代)?码|恢复密钥|備用(?:驗證)?碼|復原(?:代)?碼|백업 ?코드|복구 ?(?:코드|키)',
  ],
  'i',
);

/**
 * Words that mark a code used, written beside it ("used", "(used)", "already used", "verwendet"…) or as a check
 * mark. Negated ("not used", "never used") they do not count. Only whole words: inside a dashed code
 * ('used-4f2a') they are part of the code.
 */
export const USED_MARKER = anyOf(
  [
    '\\((?:used|spent|redeemed)\\)',
    `(?<![\\w-]|\\bnot |\\bnever |\\bnicht |\\bpas |\\bno |\\bnão |\\bnon |\\bniet |\\bnie |не )(?:used|spent|redeemed|verwendet|benutzt|utilisée?|usado|utilizado|utilizzato|gebruikt|użyty|kullanıldı|использован[а-я]*)(?![\\w-])`,
    '使用済み?|已使用|사용됨|사용 완료',
    '[\\u2713\\u2714\\u2611\\u2705]',
    '\\[x\\]',
  ],
  'gi',
);

/** Header of a table column that says whether a code was used. */
export const STATUS_HEADER =
  /^(?:used|used on|used at|date used|used\?|status|state|spent|redeemed|done|verwendet|benutzt|statut|utilisée?|estado|usado|utilizado|stato|utilizzato|gebruikt|użyty|kullanıldı|durum|использован[а-я]*|статус|使用済み?|使用|已使用|状态|사용(?:됨)?|상태)$/i;

/** Header of a table column that holds the codes. */
export const CODE_HEADER = /(?:code|token|key|clé|schlüssel|código|codice|kod|код|ключ|コード|码|碼|코드)/i;

/** What a status cell says when the code is NOT used (anything else there means used). */
export const NOT_USED_STATUS =
  /^(?:|no|n|false|unused|not used|new|open|available|-+|–|—|0|\u2717|\u2718|\u274c|\u2610|\[ \]|nein|non|não|nao|nie|niet|hayır|нет|いいえ|未使用|否|아니요|아니오)$/i;
