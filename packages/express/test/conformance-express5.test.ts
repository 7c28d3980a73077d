// The middleware in Express 5 against the Gateway API and delegation corpus (see support/corpus.ts).
import { EXPRESS_5 } from './support/flavours.js';
import { runCorpus } from './support/corpus.js';

runCorpus(EXPRESS_5);
