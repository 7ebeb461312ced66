/* expire.c: expiry commands (EXPIRE family, TTL family, PERSIST). */
#include "commands/families.h"

commandDef expire_commands[] = {
    {0}};
