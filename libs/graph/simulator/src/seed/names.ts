export const GIVEN_NAMES = [
  'Adele', 'Alex', 'Allan', 'Bianca', 'Brian', 'Carla', 'Christie', 'Dana', 'Debra', 'Diego', 'Emily', 'Enrico', 'Grady',
  'Henrietta', 'Irvin', 'Isaiah', 'Johanna', 'Joni', 'Lee', 'Lidia', 'Lynne', 'Megan', 'Miriam', 'Nestor', 'Patti', 'Pradeep',
  'Raul', 'Samantha', 'Sofia', 'Tomás', 'Uma', 'Vikram', 'Wanda', 'Xavier', 'Yuki', 'Zoë', 'Amara', 'Bo', 'Chen', 'Farah',
];

export const SURNAMES = [
  'Vance', 'Wilber', 'Deyoung', 'Booth', 'Johnson', 'Bertrand', 'Cline', 'Swope', 'Berg', 'Siciliani', 'Braun', 'Rossi',
  'Archie', 'Sherman', 'Sink', 'Lyons', 'Lauer', 'Sherman', 'Gu', 'Holloway', 'Robbins', 'Bowen', 'Graham', 'Wilke', 'Fernandez',
  'Gupta', 'Alvarez', 'Nakamura', 'Okafor', 'Costa', 'Müller', 'Ito', 'Singh', 'Kowalski', 'Haddad', 'Larsen', 'Moreau',
  'Novak', 'Olsen', 'Park',
];

export const JOB_TITLES = ['Product Manager', 'Developer', 'Designer', 'Marketing Manager', 'Sales Lead', 'Engineer', 'Analyst', null];

export const SUBJECTS = [
  'Design review', 'Weekly sync', '1:1', 'Sprint planning', 'Budget review', 'Customer call', 'Roadmap discussion',
  'Interview', 'Lunch', 'Team standup', 'Architecture review', 'Quarterly business review', 'Training', 'Offsite planning',
  'Retrospective', 'Vendor meeting', 'Project kickoff', 'Focus time', 'Demo day', 'Office hours',
];

export const BODIES = [
  'Agenda in the doc.',
  'Please review the attached notes before the meeting.',
  'Let us go through the open items.',
  'Bring your questions.',
  '',
  'Dial-in details below. See you there!',
].map((t) => (t ? `<html><head></head><body><p>${t}</p></body></html>` : ''));

export const ROOMS = ['Room 4', 'Conf Room Baker', 'Conf Room Adams', 'Cafeteria', 'Harry\'s Bar', 'Building 2 / 3001', 'Home Office'];

export const ZONES = [
  'Pacific Standard Time',
  'Eastern Standard Time',
  'Central Standard Time',
  'GMT Standard Time',
  'W. Europe Standard Time',
  'India Standard Time',
  'Tokyo Standard Time',
  'AUS Eastern Standard Time',
  'UTC',
];
