/**
 * Plain text of an event body. Reads ask Graph for text bodies (`Prefer:
 * outlook.body-content-type="text"`), but write answers come in the body's own type, so an HTML body
 * is converted here: one rule for every service that shows a description.
 */
const ENTITY = /&(nbsp|lt|gt|quot|#39|amp);/g;
const ENTITIES: Record<string, string> = { nbsp: ' ', lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' };

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/p>|<\/div>|<\/li>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(ENTITY, (_m, name: string) => ENTITIES[name])
    .replace(/\r/g, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
