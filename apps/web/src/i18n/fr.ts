import { catalogue } from './build';
export const fr = catalogue('fr', [
  'Calendrier Outlook', 'Aller au contenu', 'Se connecter', 'Se déconnecter', 'Connectez-vous avec votre compte professionnel pour voir et planifier vos réunions.',
  'Événements à venir', 'Créer un événement', 'Mes permanences', 'Créer une permanence', 'Modifier la permanence', 'Rappels', '{n} rappels non lus', 'Aucun rappel.',
  'Rechercher', 'Actualiser', 'Dernière mise à jour : {when}', 'Aucun événement à venir.', 'Plus d’événements',
  'Titre', 'Début', 'Fin', 'Fuseau horaire', 'Périodicité', 'Une fois', 'Quotidienne', 'Hebdomadaire', 'Mensuelle', 'Tous les (intervalle)', 'Jours de la semaine', 'Se termine le', 'Nombre d’occurrences',
  'Lieu', 'Description', 'Participants', 'E-mail du participant', 'Ajouter un participant', 'Retirer', 'Réunion en ligne', 'Enregistrer', 'Organisateur',
  'Rejoindre la réunion', 'Ouvrir dans Outlook', 'Modifier', 'Annuler l’événement', 'Annuler cet événement ? Les participants seront prévenus.', 'Oui, l’annuler',
  'Appliquer à', 'Cette occurrence', 'Toutes les occurrences', 'Connecter Outlook', 'Avant de modifier votre calendrier, autorisez cette application à écrire dans Outlook pour vous.', 'Connecter Outlook',
  'Un problème est survenu', 'Un service nécessaire à cette page ne répond pas. Réessayez dans un instant.', 'Votre session a expiré. Veuillez vous reconnecter.', 'Cette page ou cet événement n’existe pas.',
  'Veuillez corriger les champs signalés.', 'Enregistré.', 'L’événement a été annulé.', 'Langue', 'Changer', 'Prochaines occurrences', 'Vous n’avez pas encore de permanence.', 'Occupé à ce moment : {who}', 'Retour', 'Ce champ est obligatoire.',
  'Rechercher un fuseau horaire', 'Fuseaux horaires correspondants : {n}', 'Saisissez un nom ou une adresse : les personnes correspondantes de votre annuaire s’affichent.', 'Tous les participants sont libres à ce moment.', 'Durée', '{n} minutes', 'Suggérer des horaires', 'Horaires suggérés', 'Aucun créneau où tout le monde est libre n’a été trouvé dans les 7 prochains jours.', 'Début et fin réglés sur {when}.', 'La disponibilité n’a pas pu être vérifiée pour le moment.', 'Créé. Occupé à ce moment : {who}', 'Pas encore mis à jour.',
]);
