// Half of test/market/'s files in one process (test/helpers/suite.ts says why); the other half runs beside it.
import { runFolder } from '../../helpers/suite.ts';

await runFolder('market', [1, 2]);
