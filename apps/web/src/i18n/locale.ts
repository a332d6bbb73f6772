import { de } from './de';
import { en, type Catalogue, type MessageKey } from './en';
import { es } from './es';
import { fr } from './fr';
import { it } from './it';
import { ja } from './ja';
import { nl } from './nl';
import { ptBR } from './pt-BR';
import { zhCN } from './zh-CN';

export const CATALOGUES: Record<string, Catalogue> = { en, de, es, fr, it, ja, nl, 'pt-BR': ptBR, 'zh-CN': zhCN };
export const LOCALES = Object.keys(CATALOGUES);
/** Each language named in itself, for the switcher. */
export const LOCALE_NAMES: Record<string, string> = {
  en: 'English', de: 'Deutsch', es: 'Español', fr: 'Français', it: 'Italiano', ja: '日本語', nl: 'Nederlands', 'pt-BR': 'Português (Brasil)', 'zh-CN': '中文(简体)',
};

/** The best supported locale for an Accept-Language header (q-values honoured; `pt` → pt-BR, `zh` → zh-CN). */
export function negotiateLocale(header: string | undefined): string {
  const wanted = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q) : 1 };
    })
    .filter((w) => w.tag && w.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of wanted) {
    const exact = LOCALES.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    const base = tag.split('-')[0];
    const byBase = LOCALES.find((l) => l.toLowerCase().split('-')[0] === base);
    if (byBase) return byBase;
  }
  return 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(locale: string): Translate {
  const cat = CATALOGUES[locale] ?? en;
  return (key, params) => cat[key].replace(/\{(\w+)\}/g, (_, p: string) => String(params?.[p] ?? ''));
}
