// The plugin in Fastify 5 against the Gateway API and delegation corpus (see support/corpus.ts).
import { FASTIFY_5 } from './support/flavours.js';
import { runCorpus } from './support/corpus.js';

runCorpus(FASTIFY_5);
