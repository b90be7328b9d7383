// Writes a provisioning folder the size of a real one into DIR: general files for ten phone
// types and one file per phone in both naming styles, each about 20 KB (function keys, a phone
// book of speed dials, SIP accounts: what real files carry), a tenth of them with polling
// settings of their own. Run: node make-folder.mjs DIR [PHONES=2000]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, count = '2000'] = process.argv.slice(2);
if (!dir) throw new Error('usage: node make-folder.mjs DIR [PHONES]');
mkdirSync(dir, { recursive: true });
const phones = Number(count);
const types = ['snomD785', 'snomD735', 'snomD717', 'snomD713', 'snomD385', 'snomD375', 'snomD345', 'snomD315', 'snomD120', 'snomM900'];

const general = (i) => `<?xml version="1.0" encoding="utf-8"?>
<settings>
  <phone-settings e="2">
    <language perm="">Deutsch</language>
    <timezone perm="">${i % 3 === 0 ? 'USA-5' : 'GER+1'}</timezone>
    <prov_polling_enabled perm="R">on</prov_polling_enabled>
    <prov_polling_mode perm="R">${['random', 'abs', 'rel'][i % 3]}</prov_polling_mode>
    <prov_polling_period perm="R">${[86400, 86400, 43200][i % 3]}</prov_polling_period>
    <prov_polling_time perm="R">0${i % 5}:00</prov_polling_time>
    <prov_polling_time_rand_end perm="R">0${(i % 5) + 1}:30</prov_polling_time_rand_end>
  </phone-settings>
</settings>
`;

function own(n) {
  const lines = [];
  for (let a = 1; a <= 4; a++) {
    lines.push(`    <user_realname idx="${a}" perm="">Phone ${n} line ${a}</user_realname>`);
    lines.push(`    <user_name idx="${a}" perm="">${1000 + n}${a}</user_name>`);
    lines.push(`    <user_pass idx="${a}" perm="">pw-${(n * 7919 + a).toString(36)}&amp;x</user_pass>`);
    lines.push(`    <user_host idx="${a}" perm="">pbx.example.com</user_host>`);
  }
  if (n % 10 === 0) lines.push(`    <prov_polling_period perm="">${3600 * (1 + (n % 4))}</prov_polling_period>`);
  const keys = [];
  for (let k = 0; k < 250; k++) {
    keys.push(`    <fkey idx="${k}" context="active" label="Key ${k}" perm="">speed ${2000 + ((n + k) % 900)}</fkey>`);
  }
  return `<?xml version="1.0" encoding="utf-8"?>
<settings>
  <phone-settings e="2">
${lines.join('\n')}
  </phone-settings>
  <functionKeys e="2">
${keys.join('\n')}
  </functionKeys>
</settings>
`;
}

for (let i = 0; i < types.length; i++) writeFileSync(join(dir, `${types[i]}.xml`), general(i));
for (let n = 0; n < phones - types.length; n++) {
  const mac = `000413${(0xa00000 + n).toString(16).toUpperCase()}`;
  const name = n % 4 === 3 ? `${mac}.xml` : `${types[n % types.length]}-${mac}.xml`;
  writeFileSync(join(dir, name), own(n));
}
