import type { EventDetail } from '@ocb/service-clients';
import { html, type Safe } from '../views/html';
import { layout, type PageContext } from '../views/layout';
import { needsScope, type EditScope } from './event-edit.mapping';

const SCOPE_LABELS = { occurrence: 'thisOccurrence', series: 'allOccurrences', following: 'followingOccurrences' } as const;

/** The required "apply to" choice of an occurrence's edit (`prefix` keeps the ids unique per form). */
export function scopeFieldset(ctx: PageContext, chosen: string, error: string | undefined, prefix = 'scope', preselect?: EditScope): Safe {
  const picked = chosen || preselect || '';
  return html`<fieldset${error ? html` aria-describedby="${prefix}-error"` : html``}><legend>${ctx.t('scope')}</legend>
  ${(Object.keys(SCOPE_LABELS) as EditScope[]).map(
    (s) => html`<input type="radio" id="${prefix}-${s}" name="scope" value="${s}" required${s === picked ? html` checked` : html``}${error ? html` aria-invalid="true"` : html``}> <label class="inline" for="${prefix}-${s}">${ctx.t(SCOPE_LABELS[s])}</label> `,
  )}${error ? html`<p class="error" id="${prefix}-error">${error}</p>` : html``}</fieldset>`;
}

/** Cancel with confirmation (the checkbox) and, for an occurrence, the scope (this occurrence by default). */
export function cancelForm(ctx: PageContext, e: EventDetail): Safe {
  const series = needsScope(e);
  return html`<form method="post" action="/events/${encodeURIComponent(e.id)}/cancel"><input type="hidden" name="_csrf" value="${ctx.csrf}">
  <fieldset><legend>${ctx.t('cancelEvent')}</legend>${series ? scopeFieldset(ctx, '', undefined, 'cancel-scope', 'occurrence') : html``}
  <input type="checkbox" id="confirm" name="confirm" value="yes" required> <label for="confirm" class="inline">${ctx.t(series ? 'cancelScopeConfirm' : 'cancelConfirm')}</label><br><button type="submit">${ctx.t('confirm')}</button></fieldset></form>`;
}

/** Office hours are changed on their own pages. */
export function officeHoursLink(ctx: PageContext, e: EventDetail): Safe {
  return html`<p><a class="button" href="/office-hours/${encodeURIComponent(e.seriesMasterId ?? e.id)}/edit">${ctx.t('editOfficeHours')}</a></p>`;
}

/** What the organizer (only) sees on Event Detail: Edit and Cancel, or the link to the office hours pages. */
export function organizerActions(ctx: PageContext, e: EventDetail): Safe {
  if (!e.isOrganizer || e.isCancelled) return html``;
  if (e.isOfficeHours) return officeHoursLink(ctx, e);
  return html`<p><a class="button" href="/events/${encodeURIComponent(e.id)}/edit">${ctx.t('edit')}</a></p>${cancelForm(ctx, e)}`;
}

/** A clear 403 page for someone who is not the organizer. */
export function notOrganizerPage(ctx: PageContext, id: string): string {
  return layout(ctx, ctx.t('errorTitle'), html`<p role="alert">${ctx.t('notOrganizer')}</p><p><a href="/events/${encodeURIComponent(id)}">${ctx.t('back')}</a></p>`);
}
