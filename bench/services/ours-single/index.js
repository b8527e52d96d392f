// Variant "ours": the same handlers, run by `service-lifecycle start`.
import { routes } from '../handlers.mjs';

export default { routes };
