import { catalogue } from './build';
export const de = catalogue('de', [
  'Outlook-Kalender', 'Zum Inhalt springen', 'Anmelden', 'Abmelden', 'Melden Sie sich mit Ihrem Arbeitskonto an, um Ihre Besprechungen zu sehen und zu planen.',
  'Anstehende Termine', 'Termin erstellen', 'Meine Sprechstunden', 'Sprechstunde erstellen', 'Sprechstunde bearbeiten', 'Erinnerungen', '{n} ungelesene Erinnerungen', 'Keine Erinnerungen.',
  'Suchen', 'Aktualisieren', 'Zuletzt aktualisiert: {when}', 'Keine anstehenden Termine.', 'Weitere Termine',
  'Titel', 'Beginn', 'Ende', 'Zeitzone', 'Wiederholung', 'Einmalig', 'Täglich', 'Wöchentlich', 'Monatlich', 'Alle (Intervall)', 'Wochentage', 'Endet am', 'Anzahl der Termine',
  'Ort', 'Beschreibung', 'Teilnehmer', 'E-Mail des Teilnehmers', 'Teilnehmer hinzufügen', 'Entfernen', 'Onlinebesprechung', 'Speichern', 'Organisator',
  'Besprechung beitreten', 'In Outlook öffnen', 'Bearbeiten', 'Termin absagen', 'Diesen Termin absagen? Die Teilnehmer werden benachrichtigt.', 'Ja, absagen',
  'Anwenden auf', 'Dieses Vorkommen', 'Alle Vorkommen', 'Outlook verbinden', 'Bevor Sie Ihren Kalender ändern, erlauben Sie dieser App, für Sie in Outlook zu schreiben.', 'Outlook verbinden',
  'Etwas ist schiefgelaufen', 'Ein benötigter Dienst antwortet nicht. Versuchen Sie es gleich noch einmal.', 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.', 'Diese Seite oder dieser Termin existiert nicht.',
  'Bitte korrigieren Sie die markierten Felder.', 'Gespeichert.', 'Der Termin wurde abgesagt.', 'Sprache', 'Ändern', 'Nächste Termine', 'Sie haben noch keine Sprechstunden.', 'Zu dieser Zeit belegt: {who}', 'Zurück', 'Dieses Feld ist erforderlich.',
  'Zeitzonen durchsuchen', 'Passende Zeitzonen: {n}', 'Geben Sie einen Namen oder eine Adresse ein: passende Personen aus Ihrem Verzeichnis werden aufgelistet.', 'Alle Teilnehmer sind zu dieser Zeit frei.', 'Dauer', '{n} Minuten', 'Zeiten vorschlagen', 'Vorgeschlagene Zeiten', 'In den nächsten 7 Tagen wurde keine Zeit gefunden, zu der alle frei sind.', 'Beginn und Ende auf {when} gesetzt.', 'Die Verfügbarkeit konnte gerade nicht geprüft werden.', 'Erstellt. Zu dieser Zeit belegt: {who}', 'Noch nicht aktualisiert.',
]);
