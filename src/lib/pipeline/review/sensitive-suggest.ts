// Sensitive-column suggestions: columns whose names or values read as sex, age, race, nationality, marital status, religion or disability.
import type { Column, ColumnProfile, DataTable, DatasetProfile } from '../types.ts';
import type { SensitiveColumn } from './policy.ts';

export type SensitiveKind = 'sex' | 'age' | 'race' | 'nationality' | 'marital' | 'religion' | 'disability';

export interface SensitiveSuggestion {
  column: string;
  kind: SensitiveKind;
  /** e.g. 'the name "Sex" reads as sex or gender', 'its values (MALE, FEMALE) read as sex or gender'. */
  why: string;
  /** How the studio would group it if the person picks it: categories, or 4 quantile groups for numbers. */
  spec: SensitiveColumn;
}

const KIND_WORDS: Record<SensitiveKind, string> = {
  sex: 'sex or gender',
  age: 'age',
  race: 'race or ethnicity',
  nationality: 'nationality or foreign status',
  marital: 'marital status',
  religion: 'religion',
  disability: 'disability',
};

/** Whole words of a column name: split at anything but letters and digits, and at camelCase humps; lower case. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

// Short words match only as whole words ("Usage" is not age, "Essex" is not sex); long stems anywhere in the name.
const NAME_WORDS: Record<SensitiveKind, RegExp> = {
  sex: /^(sex|sexes|gender|genders|male|female)$/,
  age: /^(age|ages|agegroup|ageband|agebracket|agerange|agecat|dob|yob|birthdate|birthday|birthyear)$/,
  race: /^(race|races|racial)$/,
  nationality: /^(nationality|nationalities|citizen|citizens|citizenship|foreign|foreigner|immigrant|migrant|birthplace)$/,
  marital: /^(marital|married|marriage|spouse)$/,
  religion: /^(religion|religions|religious|faith|creed)$/,
  disability: /^(disability|disabilities|disabled|handicap|handicapped|impairment)$/,
};
const NAME_STEMS: Record<SensitiveKind, RegExp | null> = {
  sex: /gender/,
  age: null,
  race: /ethnic/,
  nationality: /nationality|citizenship|foreign|immigra|countryofbirth|nativecountry|birthcountry|countryoforigin|placeofbirth/,
  marital: /marital/,
  religion: /religio/,
  disability: /disab|handicap/,
};
const NAME_PHRASES: [SensitiveKind, RegExp][] = [
  ['age', /\b(date of birth|birth date|year of birth|birth year)\b/],
  ['nationality', /\b(country of birth|native country|birth country|country of origin|place of birth)\b/],
];

function kindOfName(name: string): SensitiveKind | null {
  const words = nameWords(name);
  const joined = words.join('');
  const spaced = words.join(' ');
  for (const kind of Object.keys(KIND_WORDS) as SensitiveKind[]) {
    if (words.some((w) => NAME_WORDS[kind].test(w))) return kind;
    const stem = NAME_STEMS[kind];
    if (stem && stem.test(joined)) return kind;
  }
  for (const [kind, phrase] of NAME_PHRASES) if (phrase.test(spaced)) return kind;
  return null;
}

// Values that say nothing either way (placeholders for unknown), ignored when reading a column's values.
const FILLER = new Set(['', '.', '-', '?', 'na', 'n/a', 'nan', 'null', 'none', 'unknown', 'missing', 'other', 'others', 'prefer not to say', 'not stated', 'not known', 'u', 'x']);
const MALE = new Set(['male', 'm', 'man', 'men', 'boy', 'boys', 'males']);
const FEMALE = new Set(['female', 'f', 'woman', 'women', 'girl', 'girls', 'females']);
const GENDER_OTHER = new Set(['non-binary', 'nonbinary', 'non binary', 'intersex', 'transgender', 'trans', 'diverse', 'genderqueer']);
const VALUE_SETS: [SensitiveKind, Set<string>][] = [
  [
    'race',
    new Set([
      'white', 'black', 'asian', 'hispanic', 'latino', 'latina', 'latinx', 'caucasian', 'african american', 'african-american',
      'black or african american', 'native american', 'american indian', 'american indian or alaska native', 'alaska native',
      'pacific islander', 'native hawaiian or other pacific islander', 'asian-pac-islander', 'amer-indian-eskimo', 'arab',
      'middle eastern', 'multiracial', 'mixed', 'mixed race', 'two or more races', 'hispanic or latino', 'non-hispanic',
      'white british', 'indigenous', 'aboriginal',
    ]),
  ],
  [
    'marital',
    new Set([
      'married', 'single', 'divorced', 'widowed', 'widow', 'widower', 'separated', 'never married', 'never-married',
      'married-civ-spouse', 'married-spouse-absent', 'married-af-spouse', 'domestic partner', 'cohabiting', 'partnered',
      'unmarried', 'civil partnership',
    ]),
  ],
  [
    'religion',
    new Set(['christian', 'christianity', 'catholic', 'protestant', 'orthodox', 'muslim', 'islam', 'jewish', 'judaism', 'hindu', 'hinduism', 'buddhist', 'buddhism', 'sikh', 'atheist', 'agnostic', 'no religion']),
  ],
  ['disability', new Set(['disabled', 'not disabled', 'disability', 'no disability', 'with disability', 'without disability'])],
];

/** The kind the values of a column read as, with the values that say so; null when they read as nothing sensitive. */
function kindOfValues(values: readonly string[]): { kind: SensitiveKind; shown: string[] } | null {
  const kept = values.filter((v) => !FILLER.has(v.trim().toLowerCase()));
  if (kept.length < 2) return null;
  const norm = kept.map((v) => v.trim().toLowerCase().replace(/_/g, ' '));
  if (norm.some((v) => MALE.has(v)) && norm.some((v) => FEMALE.has(v)) && norm.every((v) => MALE.has(v) || FEMALE.has(v) || GENDER_OTHER.has(v))) {
    return { kind: 'sex', shown: kept };
  }
  for (const [kind, set] of VALUE_SETS) {
    const hits = kept.filter((_, i) => set.has(norm[i] as string));
    if (hits.length >= 2 && hits.length * 2 >= kept.length) return { kind, shown: hits };
  }
  return null;
}

interface ColumnFacts {
  name: string;
  numeric: boolean;
  values: string[];
}

function factsOf(column: Column | ColumnProfile): ColumnFacts {
  if ('codes' in column) return { name: column.name, numeric: false, values: column.levels };
  if ('values' in column) return { name: column.name, numeric: true, values: [] };
  const numeric = column.type !== 'category' && column.type !== 'text';
  return { name: column.name, numeric, values: numeric ? [] : (column.topValues ?? []).map((t) => t.value) };
}

function listed(values: string[]): string {
  const shown = values.slice(0, 4).join(', ');
  return values.length > 4 ? `${shown}, …` : shown;
}

/**
 * Columns that may be sensitive, from their names (sex or gender, age, race or ethnicity, nationality or foreign
 * status, marital status, religion, disability; case-insensitive, whole words for short names) and from their values
 * (a column whose values are male/female, M/F, …; race, marital or religion categories). A suggestion only: nothing is
 * selected. Works on a table or on its profile (whose top values stand for the values); `exclude` leaves out columns
 * such as the target.
 */
export function suggestSensitive(source: DataTable | DatasetProfile, options: { exclude?: readonly string[] } = {}): SensitiveSuggestion[] {
  const exclude = new Set(options.exclude ?? []);
  const out: SensitiveSuggestion[] = [];
  for (const column of source.columns as (Column | ColumnProfile)[]) {
    if (exclude.has(column.name)) continue;
    const facts = factsOf(column);
    const spec: SensitiveColumn = facts.numeric ? { column: facts.name, quantiles: 4 } : { column: facts.name };
    const byName = kindOfName(facts.name);
    if (byName) {
      out.push({ column: facts.name, kind: byName, why: `the name "${facts.name}" reads as ${KIND_WORDS[byName]}`, spec });
      continue;
    }
    const byValues = facts.numeric ? null : kindOfValues(facts.values);
    if (byValues) out.push({ column: facts.name, kind: byValues.kind, why: `its values (${listed(byValues.shown)}) read as ${KIND_WORDS[byValues.kind]}`, spec });
  }
  return out;
}
