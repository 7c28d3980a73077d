// The middleware in Express 4 against the Gateway API and delegation corpus (see support/corpus.ts).
import { EXPRESS_4 } from './support/flavours.js';
import { runCorpus } from './support/corpus.js';

runCorpus(EXPRESS_4);
