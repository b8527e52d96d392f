// Variant "bare": a plain Koa app .listen() in the main process, the physical limit.
import { listenUntilSigterm } from './koa-app.mjs';

listenUntilSigterm();
