// `npm test`'s pretest: rebuild tap's Test class when package.json's plugin list differs from the one it
// was built with. tap does this itself at the start of a run, but too late for that run: its runner has
// already read the old build's loaders, so the first `npm test` after `npm ci` would run every test
// process under the default plugins' loaders (@tapjs/typescript and @tapjs/mock), three times slower.
import { spawnSync } from 'node:child_process';
import { TapConfig } from '@tapjs/config';
import { signature } from '@tapjs/test';

const config = await TapConfig.load();
if (signature !== config.pluginSignature) {
  console.log('tap: rebuilding for the plugins package.json names');
  const r = spawnSync('tap', ['build'], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
