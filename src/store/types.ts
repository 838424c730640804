// Re-export of the generated enums so the rest of the code names them without reaching into generated/.
export { Country } from '../generated/prisma/enums.js';
