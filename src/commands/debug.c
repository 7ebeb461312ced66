/* debug.c: DEBUG and OBJECT-adjacent diagnostics. */
#include "commands/families.h"

commandDef debug_commands[] = {
    {0}};
