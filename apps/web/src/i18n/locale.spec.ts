import { en } from './en';
import { CATALOGUES, LOCALES, negotiateLocale, translator } from './locale';

describe('message catalogues', () => {
  it('ship the nine languages of the original, each with every English key and no empty string', () => {
    expect(LOCALES.sort()).toEqual(['de', 'en', 'es', 'fr', 'it', 'ja', 'nl', 'pt-BR', 'zh-CN']);
    for (const [lang, cat] of Object.entries(CATALOGUES)) {
      expect({ lang, keys: Object.keys(cat) }).toEqual({ lang, keys: Object.keys(en) });
      expect({ lang, empty: Object.entries(cat).filter(([, v]) => !v.trim()).map(([k]) => k) }).toEqual({ lang, empty: [] });
    }
  });

  it('keep the placeholders of the English strings', () => {
    for (const [lang, cat] of Object.entries(CATALOGUES))
      for (const [k, v] of Object.entries(en)) for (const p of v.match(/\{\w+\}/g) ?? []) expect(`${lang}.${k}: ${cat[k as keyof typeof en].includes(p)}`).toBe(`${lang}.${k}: true`);
  });

  it('fill placeholders', () => {
    expect(translator('de')('remindersCount', { n: 3 })).toBe('3 ungelesene Erinnerungen');
  });
});

describe('negotiateLocale', () => {
  it.each([
    [undefined, 'en'],
    ['fr-CA,fr;q=0.9,en;q=0.8', 'fr'],
    ['pt', 'pt-BR'],
    ['zh-TW;q=0.5, ja;q=0.9', 'ja'],
    ['zh', 'zh-CN'],
    ['sv-SE, nl;q=0.1', 'nl'],
    ['sv-SE', 'en'],
    ['de;q=0, es', 'es'],
  ])('%s → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale);
  });
});
