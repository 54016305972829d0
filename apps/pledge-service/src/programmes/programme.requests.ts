import { ProgrammeDeclaredV1 } from '@tracker/contracts';
import { z } from 'zod';

/** Body of POST /v1/programmes: the declaration payload itself. */
export const DeclareProgrammeRequest = ProgrammeDeclaredV1.strict();
export type DeclareProgrammeBody = z.infer<typeof DeclareProgrammeRequest>;
