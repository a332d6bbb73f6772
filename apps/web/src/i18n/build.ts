import { en, type Catalogue, type MessageKey } from './en';

const KEYS = Object.keys(en) as MessageKey[];

/** A catalogue from its strings in the order of the English keys (a length mismatch fails at load and in the tests). */
export function catalogue(lang: string, values: string[]): Catalogue {
  if (values.length !== KEYS.length) throw new Error(`catalogue ${lang}: ${values.length} strings for ${KEYS.length} keys`);
  return Object.fromEntries(KEYS.map((k, i) => [k, values[i]])) as Catalogue;
}
