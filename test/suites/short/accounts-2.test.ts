// A third of test/accounts/'s files in one process (test/helpers/suite.ts says why); the others run beside it.
import { runFolder } from '../../helpers/suite.ts';

await runFolder('accounts', [1, 3]);
