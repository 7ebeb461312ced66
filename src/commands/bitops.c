/* bitops.c: bit commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD). */
#include "commands/families.h"

commandDef bitops_commands[] = {
    {0}};
