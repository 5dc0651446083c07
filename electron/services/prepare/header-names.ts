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
  return header
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

/** Edit distance between two short strings (headers), counting a swap of neighbours as one edit. */
function editDistance(a: string, b: string): number {
  if (a === b) return 0
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    rows.push([i])
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j)
        continue
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1)
      rows[i]!.push(best)
    }
  }
  return rows[a.length]![b.length]!
}

/**
 * How well a header matches a list of known names: 1 for an exact match (ignoring spaces and
 * punctuation), 0.8 for a small typo, 0.6 when a known multi-letter name appears as a whole word,
 * 0 otherwise.
 */
export function headerScore(header: string, names: readonly string[]): number {
  const key = headerKey(header)
  if (key === '') return 0
  const compact = key.replace(/ /g, '')
  const words = key.split(' ')
  let best = 0
  for (const name of names) {
    const nameKey = headerKey(name)
    const nameCompact = nameKey.replace(/ /g, '')
    if (nameCompact === compact) return 1
    // A typo is only forgiven in longer names: "emial" is email, but "nom" is not "name".
    if (
      nameCompact.length >= 5 &&
      Math.abs(nameCompact.length - compact.length) <= 1 &&
      editDistance(nameCompact, compact) <= 1
    ) {
      best = Math.max(best, 0.8)
    } else if (nameCompact.length >= 4 && containsWords(words, nameKey.split(' '))) {
      best = Math.max(best, 0.6)
    }
  }
  return best
}

function containsWords(words: string[], needle: string[]): boolean {
  outer: for (let i = 0; i + needle.length <= words.length; i++) {
    for (let j = 0; j < needle.length; j++) if (words[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}
