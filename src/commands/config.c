/* config.c: the CONFIG command family. */
#include "commands/families.h"

commandDef config_commands[] = {
    {0}};
