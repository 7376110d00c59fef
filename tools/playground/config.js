// Writes the Agents Playground's config (.m365agentsplayground.yml) with one of its built-in
// users as the current user, so the local Teams client can be the SENCo, a teacher, a year
// lead, SLT or an admin of the demo school (Bot/Roster/Demo/DemoSchool.cs gives them roles).
//
//   node tools/playground/config.js megan > <playground working directory>/.m365agentsplayground.yml
//
// The users, ids and the rest of the file are the Playground's own defaults (0.2.x).
'use strict';

const users = [
  ['alex', 'Alex Wilber', 'alexw', '20'],
  ['megan', 'Megan Bowen', 'meganb', '21'],
  ['adele', 'Adele Vance', 'adelev', '22'],
  ['isaiah', 'Isaiah Langer', 'isaiahl', '23'],
  ['patti', 'Patti Fernandez', 'pattif', '24'],
  ['lynne', 'Lynne Robbins', 'lynner', '25'],
].map(([key, name, mail, n], i) => ({ key, name, mail, id: `user-id-${i}`, aad: `00000000-0000-0000-0000-00000000000${n}` }));

const wanted = (process.argv[2] || 'alex').toLowerCase();
const current = users.find(u => u.key === wanted);
if (!current) {
  console.error(`unknown user '${wanted}': one of ${users.map(u => u.key).join(', ')}`);
  process.exit(2);
}

const user = (u, indent) => {
  const [given, surname] = u.name.split(' ');
  return [
    `id: ${u.id}`, `name: ${u.name}`, `userPrincipleName: ${u.mail}@example.com`, `aadObjectId: ${u.aad}`,
    `givenName: ${given}`, `surname: ${surname}`, `email: ${u.mail}@example.com`,
  ].map((line, i) => (i === 0 && indent.endsWith('- ') ? indent : indent.replace('- ', '  ')) + line).join('\n');
};

process.stdout.write([
  'version: "0.1.1"',
  'tenantId: 00000000-0000-0000-0000-0000000000001',
  'bot:',
  '  id: 00000000-0000-0000-0000-00000000000011',
  '  name: Test Bot',
  'currentUser:',
  user(current, '  '),
  'users:',
  ...users.filter(u => u !== current).map(u => user(u, '  - ')),
  'personalChat:',
  '  id: __PERSONAL_CHAT_ID__',
  'groupChat:',
  '  id: __GROUP_CHAT_ID__',
  '  name: Group Chat',
  'team:',
  '  id: team-id',
  '  name: My Team',
  '  aadGroupId: 00000000-0000-0000-0000-000000000031',
  '  channels:',
  '    - id: channel-announcements-id',
  '      name: Announcements',
  '',
].join('\n'));
