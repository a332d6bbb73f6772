import { catalogue } from './build';
export const nl = catalogue('nl', [
  'Outlook-agenda', 'Naar inhoud', 'Aanmelden', 'Afmelden', 'Meld u aan met uw werkaccount om uw vergaderingen te zien en te plannen.',
  'Komende afspraken', 'Afspraak maken', 'Mijn spreekuren', 'Spreekuur maken', 'Spreekuur bewerken', 'Herinneringen', '{n} ongelezen herinneringen', 'Geen herinneringen.',
  'Zoeken', 'Vernieuwen', 'Laatst bijgewerkt: {when}', 'Geen komende afspraken.', 'Meer afspraken',
  'Titel', 'Begin', 'Einde', 'Tijdzone', 'Terugkeerpatroon', 'Eenmalig', 'Dagelijks', 'Wekelijks', 'Maandelijks', 'Elke (interval)', 'Dagen van de week', 'Eindigt op', 'Aantal keren',
  'Locatie', 'Beschrijving', 'Deelnemers', 'E-mail van deelnemer', 'Deelnemer toevoegen', 'Verwijderen', 'Onlinevergadering', 'Opslaan', 'Organisator',
  'Deelnemen aan vergadering', 'Openen in Outlook', 'Bewerken', 'Afspraak annuleren', 'Deze afspraak annuleren? De deelnemers krijgen bericht.', 'Ja, annuleren',
  'Toepassen op', 'Deze keer', 'Alle keren', 'Outlook koppelen', 'Sta deze app toe om namens u in Outlook te schrijven voordat u uw agenda wijzigt.', 'Outlook koppelen',
  'Er is iets misgegaan', 'Een dienst die deze pagina nodig heeft, antwoordt niet. Probeer het zo opnieuw.', 'Uw sessie is verlopen. Meld u opnieuw aan.', 'Die pagina of afspraak bestaat niet.',
  'Corrigeer de gemarkeerde velden.', 'Opgeslagen.', 'De afspraak is geannuleerd.', 'Taal', 'Wijzigen', 'Volgende keren', 'U hebt nog geen spreekuren.', 'Bezet op dat moment: {who}', 'Terug', 'Dit veld is verplicht.',
  'Afspraak bewerken', 'Deze en volgende keren', 'Kies voor welke keren de wijziging geldt.', 'Alleen de organisator van deze afspraak kan hem wijzigen of annuleren.', 'Deze afspraak hoort bij uw spreekuren: wijzig hem op de pagina van de spreekuren.', 'Spreekuur', 'Opgeslagen. Deze spreekuren overlappen met uw eigen afspraken: {list}', 'De spreekuren zijn opgeslagen.', 'De spreekuren zijn geannuleerd.', 'Spreekuren annuleren', 'Deze spreekuren en alle keren annuleren? Wie geboekt heeft, krijgt bericht.', 'Geen komende keren.', 'Spreekuren herhalen zich: kies dagelijks, wekelijks of maandelijks.', 'De gekozen keren annuleren? De deelnemers krijgen bericht.',
  'Tijdzones zoeken', 'Overeenkomende tijdzones: {n}', 'Typ een naam of adres: overeenkomende personen uit uw adreslijst worden getoond.', 'Alle deelnemers zijn op dat moment vrij.', 'Duur', '{n} minuten', 'Tijden voorstellen', 'Voorgestelde tijden', 'Er is in de komende 7 dagen geen tijd gevonden waarop iedereen vrij is.', 'Begin en einde ingesteld op {when}.', 'De beschikbaarheid kon nu niet worden gecontroleerd.', 'Gemaakt. Bezet op dat moment: {who}', 'Nog niet bijgewerkt.',
]);
