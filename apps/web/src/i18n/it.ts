import { catalogue } from './build';
export const it = catalogue('it', [
  'Calendario di Outlook', 'Vai al contenuto', 'Accedi', 'Esci', 'Accedi con il tuo account di lavoro per vedere e pianificare le riunioni.',
  'Eventi imminenti', 'Crea evento', 'I miei orari di ricevimento', 'Crea orario di ricevimento', 'Modifica orario di ricevimento', 'Promemoria', '{n} promemoria non letti', 'Nessun promemoria.',
  'Cerca', 'Aggiorna', 'Ultimo aggiornamento: {when}', 'Nessun evento imminente.', 'Altri eventi',
  'Titolo', 'Inizio', 'Fine', 'Fuso orario', 'Ricorrenza', 'Una volta', 'Giornaliera', 'Settimanale', 'Mensile', 'Ogni (intervallo)', 'Giorni della settimana', 'Termina il', 'Numero di occorrenze',
  'Luogo', 'Descrizione', 'Partecipanti', 'E-mail del partecipante', 'Aggiungi partecipante', 'Rimuovi', 'Riunione online', 'Salva', 'Organizzatore',
  'Partecipa alla riunione', 'Apri in Outlook', 'Modifica', 'Annulla evento', 'Annullare questo evento? I partecipanti verranno avvisati.', 'Sì, annulla',
  'Applica a', 'Questa occorrenza', 'Tutte le occorrenze', 'Connetti Outlook', 'Prima di modificare il calendario, consenti a questa app di scrivere in Outlook per te.', 'Connetti Outlook',
  'Si è verificato un problema', 'Un servizio necessario a questa pagina non risponde. Riprova tra poco.', 'La sessione è scaduta. Accedi di nuovo.', 'Questa pagina o questo evento non esiste.',
  'Correggi i campi indicati.', 'Salvato.', 'L’evento è stato annullato.', 'Lingua', 'Cambia', 'Prossime occorrenze', 'Non hai ancora orari di ricevimento.', 'Occupato in quell’orario: {who}', 'Indietro', 'Questo campo è obbligatorio.',
  'Cerca fusi orari', 'Fusi orari corrispondenti: {n}', 'Digita un nome o un indirizzo: vengono elencate le persone corrispondenti della tua directory.', 'Tutti i partecipanti sono liberi in quell’orario.', 'Durata', '{n} minuti', 'Suggerisci orari', 'Orari suggeriti', 'Nei prossimi 7 giorni non è stato trovato un orario in cui tutti sono liberi.', 'Inizio e fine impostati su {when}.', 'Non è stato possibile verificare la disponibilità in questo momento.', 'Creato. Occupato in quell’orario: {who}', 'Non ancora aggiornato.',
]);
