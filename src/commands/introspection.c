/* introspection.c: COMMAND, INFO, SLOWLOG, LATENCY, MONITOR, TIME, LASTSAVE. */
#include "commands/families.h"

commandDef introspection_commands[] = {
    {0}};
