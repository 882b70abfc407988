// Every test file of test/ops/ in one process (test/helpers/suite.ts says why).
import { runFolder } from '../../helpers/suite.ts';

await runFolder('ops');
