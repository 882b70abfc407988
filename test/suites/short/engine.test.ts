// Every test file of test/engine/ in one process (test/helpers/suite.ts says why).
import { runFolder } from '../../helpers/suite.ts';

await runFolder('engine');
