// The plugin in Fastify 4 against the Gateway API and delegation corpus (see support/corpus.ts).
import { FASTIFY_4 } from './support/flavours.js';
import { runCorpus } from './support/corpus.js';

runCorpus(FASTIFY_4);
