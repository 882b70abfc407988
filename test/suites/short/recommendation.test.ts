// Every test file of test/recommendation/ in one process (test/helpers/suite.ts says why).
import { runFolder } from '../../helpers/suite.ts';

await runFolder('recommendation');
