import type { ContactFieldName } from '../../../shared/prepare/schemas'

/**
 * Header texts people use for each column, in the languages Splitsend's users write in
 * (English, French, German, Spanish, Italian, Portuguese, Dutch, the Nordic languages, Polish,
 * Turkish, Russian, Japanese, Chinese, Korean). They are compared after {@link headerKey}, so
 * case, accents, spaces and punctuation don't matter.
 */
export const EMAIL_HEADER_NAMES = [
  'email',
  'e-mail',
  'email address',
  'e-mail address',
  'emailaddress',
  'mail',
  'mail address',
  'email addr',
  'primary email',
  'work email',
  'business email',
  'contact email',
  'personal email',
  'email 1',
  'e-mail 1 address',
  'courriel',
  'adresse courriel',
  'adresse e-mail',
  'adresse email',
  'adresse mail',
  'adresse electronique',
  'mel',
  'e-mail-adresse',
  'emailadresse',
  'mailadresse',
  'e-post',
  'epost',
  'e-postadresse',
  'epostadresse',
  'correo',
  'correo electronico',
  'direccion de correo',
  'direccion de correo electronico',
  'email de contacto',
  'posta elettronica',
  'indirizzo email',
  'indirizzo e-mail',
  'indirizzo di posta elettronica',
  'endereco de email',
  'endereco de e-mail',
  'endereco eletronico',
  'correio eletronico',
  'e-mailadres',
  'emailadres',
  'mailadres',
  'sahkoposti',
  'sahkopostiosoite',
  'netfang',
  'adres e-mail',
  'adres email',
  'poczta',
  'e-posta',
  'eposta',
  'e-posta adresi',
  'электронная почта',
  'эл почта',
  'email адрес',
  'почта',
  'адрес электронной почты',
  'メール',
  'メールアドレス',
  '電子メール',
  '邮箱',
  '电子邮件',
  '电子邮箱',
  '邮件地址',
  '電子郵件',
  '이메일',
  '이메일 주소',
  '電郵',
]

/** Header texts that hint at a 0/1 flag column; content decides, these only break ties. */
export const FLAG_HEADER_HINTS = [
  'flag',
  'uses app',
  'uses the app',
  'app user',
  'app',
  'uses',
  'user',
  'active',
  'status',
  'opt in',
  'optin',
  'subscribed',
  'member',
  'group',
  'segment',
  'yes/no',
  'y/n',
  '0/1',
  'drapeau',
  'kennzeichen',
  'markierung',
  'indicador',
  'bandera',
  'vlag',
  'flagga',
  'flagg',
]

export const CONTACT_FIELD_HEADER_NAMES: Record<ContactFieldName, string[]> = {
  first_name: [
    'first name',
    'firstname',
    'first',
    'given name',
    'forename',
    'fname',
    'prenom',
    'vorname',
    'nombre',
    'nome',
    'primo nome',
    'voornaam',
    'fornavn',
    'fornamn',
    'etunimi',
    'imie',
    'ad',
    'имя',
    '名',
    '名前',
    '이름',
  ],
  last_name: [
    'last name',
    'lastname',
    'last',
    'surname',
    'family name',
    'lname',
    'nom',
    'nom de famille',
    'nachname',
    'familienname',
    'apellido',
    'apellidos',
    'cognome',
    'sobrenome',
    'achternaam',
    'efternamn',
    'etternavn',
    'sukunimi',
    'nazwisko',
    'soyad',
    'soyadi',
    'фамилия',
    '姓',
    '苗字',
    '성',
  ],
  job_title: [
    'job title',
    'title',
    'position',
    'role',
    'job',
    'jobtitle',
    'function',
    'titre',
    'poste',
    'fonction',
    'berufsbezeichnung',
    'position im unternehmen',
    'funktion',
    'cargo',
    'puesto',
    'titolo',
    'ruolo',
    'functie',
    'titel',
    'stanowisko',
    'unvan',
    'должность',
    '役職',
    '职位',
    '직함',
  ],
  company_name: [
    'company',
    'company name',
    'organization',
    'organisation',
    'organization name',
    'employer',
    'business',
    'firm',
    'societe',
    'entreprise',
    'organisme',
    'firma',
    'unternehmen',
    'empresa',
    'organizacion',
    'azienda',
    'societa',
    'bedrijf',
    'bedrijfsnaam',
    'foretag',
    'bedrift',
    'yritys',
    'sirket',
    'компания',
    'организация',
    '会社',
    '会社名',
    '公司',
    '회사',
  ],
  phone: [
    'phone',
    'phone number',
    'telephone',
    'tel',
    'telefon',
    'telephone number',
    'phone no',
    'telefone',
    'telefono',
    'telefoonnummer',
    'telefoon',
    'telefonnummer',
    'puhelin',
    'numer telefonu',
    'телефон',
    '電話',
    '电话',
    '전화',
  ],
  home_phone: [
    'home phone',
    'home telephone',
    'private phone',
    'telephone domicile',
    'telefon privat',
    'telefono de casa',
  ],
  work_phone: [
    'work phone',
    'business phone',
    'office phone',
    'work telephone',
    'telephone professionnel',
    'telefon geschaftlich',
    'telefono del trabajo',
    'telefono ufficio',
  ],
  mobile_phone: [
    'mobile',
    'mobile phone',
    'cell',
    'cell phone',
    'cellphone',
    'mobile number',
    'portable',
    'telephone portable',
    'handy',
    'mobiltelefon',
    'mobilnummer',
    'handynummer',
    'numero de portable',
    'telefono movil',
    'numero de movil',
    'movil',
    'celular',
    'cellulare',
    'mobiel',
    'mobil',
    'gsm',
    'komorka',
    'мобильный',
    '携帯',
    '手机',
    '휴대폰',
  ],
  street: [
    'street',
    'address',
    'street address',
    'address 1',
    'address line 1',
    'street 1',
    'adresse',
    'rue',
    'strasse',
    'strasse und hausnummer',
    'anschrift',
    'direccion',
    'calle',
    'indirizzo',
    'via',
    'endereco',
    'rua',
    'adres',
    'straat',
    'gatuadress',
    'ulica',
    'адрес',
    '住所',
    '地址',
    '주소',
  ],
  street2: ['street 2', 'address 2', 'address line 2', 'street2', 'address2', 'complement d adresse', 'adresszusatz'],
  city: [
    'city',
    'town',
    'ville',
    'stadt',
    'ort',
    'ciudad',
    'localidad',
    'citta',
    'cidade',
    'plaats',
    'stad',
    'by',
    'kaupunki',
    'miasto',
    'sehir',
    'город',
    '市区町村',
    '城市',
    '도시',
  ],
  state: [
    'state',
    'province',
    'region',
    'county',
    'state/province',
    'etat',
    'departement',
    'bundesland',
    'estado',
    'provincia',
    'regione',
    'provincie',
    'lan',
    'wojewodztwo',
    'область',
    '都道府県',
    '省',
    '주',
  ],
  zip: [
    'zip',
    'zip code',
    'zipcode',
    'postal code',
    'postcode',
    'post code',
    'postal',
    'code postal',
    'cp',
    'plz',
    'postleitzahl',
    'codigo postal',
    'cap',
    'codice postale',
    'cep',
    'postnummer',
    'postinumero',
    'kod pocztowy',
    'posta kodu',
    'индекс',
    '郵便番号',
    '邮编',
    '우편번호',
  ],
  country: [
    'country',
    'nation',
    'pays',
    'land',
    'pais',
    'paese',
    'nazione',
    'maa',
    'kraj',
    'ulke',
    'страна',
    '国',
    '国家',
    '국가',
  ],
  birthday_month: [
    'birthday month',
    'birth month',
    'month of birth',
    'mois de naissance',
    'geburtsmonat',
    'mes de nacimiento',
  ],
  birthday_day: [
    'birthday day',
    'birth day of month',
    'day of birth',
    'jour de naissance',
    'geburtstag tag',
    'dia de nacimiento',
  ],
  anniversary: [
    'anniversary',
    'anniversary date',
    'anniversaire',
    'jahrestag',
    'aniversario',
    'anniversario',
    'jubileum',
  ],
}

/**
 * The comparison key of a header: lower-case, accents removed, anything that is not a letter or
 * digit turned into single spaces. `"E-Mail-Adresse "` → `"e mail adresse"`.
 */
function headerKey(header: string): string {
  return (
    header
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      // German "ß" is written "ss" where it can't be (Straße, Strasse): both are the same name.
      .replace(/ß/g, 'ss')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  )
}

/** A header as it is compared: its key, without spaces, and as words. */
export interface HeaderText {
  compact: string
  words: string[]
}

/**
 * The most of a header that is compared with the known names: the longest of them is a few words,
 * and a long header (a note pasted into the header row) costs no more than a short one.
 */
const MAX_HEADER_CHARS_COMPARED = 200

/** A header, made ready to compare with any list of names ({@link headerScore}). */
export function headerText(header: string): HeaderText {
  const key = headerKey(header.slice(0, MAX_HEADER_CHARS_COMPARED))
  return { compact: key.replace(/ /g, ''), words: key === '' ? [] : key.split(' ') }
}

/** A list of known names, indexed so that a header is compared with the few names it could match. */
interface KnownNames {
  exact: Set<string>
  /** Names of five or more letters, where one typo is forgiven, by their length. */
  byLength: Map<number, string[]>
  /** Names of four or more letters, as words, by their first word. */
  byFirstWord: Map<string, string[][]>
}

const knownNames = new WeakMap<readonly string[], KnownNames>()

function indexNames(names: readonly string[]): KnownNames {
  let index = knownNames.get(names)
  if (index) return index
  index = { exact: new Set(), byLength: new Map(), byFirstWord: new Map() }
  for (const name of names) {
    const key = headerKey(name)
    const compact = key.replace(/ /g, '')
    index.exact.add(compact)
    if (compact.length >= 5)
      index.byLength.set(compact.length, [...(index.byLength.get(compact.length) ?? []), compact])
    if (compact.length >= 4) {
      const words = key.split(' ')
      index.byFirstWord.set(words[0]!, [...(index.byFirstWord.get(words[0]!) ?? []), words])
    }
  }
  knownNames.set(names, index)
  return index
}

/**
 * How well a header matches a list of known names: 1 for an exact match (ignoring spaces and
 * punctuation), 0.8 for a small typo, 0.6 when a known multi-letter name appears as a whole word,
 * 0 otherwise. Takes the header's text or a {@link headerText} made once for many lists; costs the
 * same however long the list (the names are indexed once), so suggesting columns is linear in them.
 */
export function headerScore(header: string | HeaderText, names: readonly string[]): number {
  const { compact, words } = typeof header === 'string' ? headerText(header) : header
  if (compact === '') return 0
  const known = indexNames(names)
  if (known.exact.has(compact)) return 1
  // A typo is only forgiven in longer names: "emial" is email, but "nom" is not "name".
  for (let length = compact.length - 1; length <= compact.length + 1; length++)
    for (const name of known.byLength.get(length) ?? []) if (withinOneEdit(name, compact)) return 0.8
  for (let at = 0; at < words.length; at++)
    for (const name of known.byFirstWord.get(words[at]!) ?? []) if (wordsAt(words, at, name)) return 0.6
  return 0
}

/** Whether two strings differ by at most one edit: a character added, removed or changed, or two neighbours swapped. */
function withinOneEdit(a: string, b: string): boolean {
  if (a.length < b.length) return withinOneEdit(b, a)
  if (a.length - b.length > 1) return false
  let i = 0
  while (i < b.length && a[i] === b[i]) i++
  if (i === a.length) return true
  if (a.length > b.length) return a.slice(i + 1) === b.slice(i)
  if (a.slice(i + 1) === b.slice(i + 1)) return true
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
}

/** Whether `needle` stands in `words` from `at`, word for word. */
function wordsAt(words: readonly string[], at: number, needle: readonly string[]): boolean {
  if (at + needle.length > words.length) return false
  for (let j = 0; j < needle.length; j++) if (words[at + j] !== needle[j]) return false
  return true
}
