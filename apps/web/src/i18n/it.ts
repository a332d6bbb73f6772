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
  'Modifica evento', 'Questa e le successive ricorrenze', 'Scegli a quali ricorrenze si applica la modifica.', 'Solo l’organizzatore di questo evento può modificarlo o annullarlo.', 'Questo evento fa parte del tuo orario di ricevimento: modificalo nella pagina dell’orario di ricevimento.', 'Orario di ricevimento', 'Salvato. Questo orario di ricevimento si sovrappone ai tuoi eventi: {list}', 'L’orario di ricevimento è stato salvato.', 'L’orario di ricevimento è stato annullato.', 'Annulla orario di ricevimento', 'Annullare questo orario di ricevimento e tutte le sue ricorrenze? Chi ha prenotato viene avvisato.', 'Nessuna ricorrenza in programma.', 'L’orario di ricevimento si ripete: scegli giornaliero, settimanale o mensile.', 'Annullare le ricorrenze scelte? I partecipanti vengono avvisati.',
]);
