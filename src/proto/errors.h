/* errors.h: the error replies Stash sends, worded exactly as Redis 7.2
 * words them (clients match prefixes, tests compare whole texts). Messages
 * that already carry their code start with '-'; the others get "-ERR ". */
#ifndef STASH_ERRORS_H
#define STASH_ERRORS_H

#define ERR_WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define ERR_SYNTAX "syntax error"
#define ERR_NOT_INTEGER "value is not an integer or out of range"
#define ERR_NOT_FLOAT "value is not a valid float"
#define ERR_NO_SUCH_KEY "no such key"
#define ERR_OUT_OF_RANGE "index out of range"
#define ERR_DB_INDEX "DB index is out of range"
#define ERR_INVALID_DB "invalid DB index"
#define ERR_SAME_OBJECT "source and destination objects are the same"
#define ERR_INVALID_CURSOR "invalid cursor"
#define ERR_RANGE_FMT "value is out of range, value must between %ld and %ld"
#define ERR_OVERFLOW "increment or decrement would overflow"
#define ERR_INCR_NAN "increment would produce NaN or Infinity"
#define ERR_STRING_TOO_LONG "string exceeds maximum allowed size (proto-max-bulk-len)"
#define ERR_BIT_OFFSET "bit offset is not an integer or out of range"
#define ERR_BIT_VALUE "bit is not an integer or out of range"
#define ERR_NOAUTH "-NOAUTH Authentication required."
#define ERR_WRONGPASS "-WRONGPASS invalid username-password pair or user is disabled."
#define ERR_AUTH_NOPASS "AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?"
#define ERR_MAXCLIENTS "-ERR max number of clients reached\r\n"
#define ERR_TIMEOUT_NEG "timeout is negative"
#define ERR_TIMEOUT_INVALID "timeout is not an integer or out of range"
#define ERR_INVALID_EXPIRE "invalid expire time in '%s' command"
#define ERR_NOSCRIPT "-NOSCRIPT No matching script. Please use EVAL."
#define ERR_OOM "-OOM command not allowed when used memory > 'maxmemory'."
#define ERR_READONLY "-READONLY You can't write against a read only replica."
#define ERR_NOREPLICAS "-NOREPLICAS Not enough good replicas to write."
#define ERR_MASTERDOWN "-MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'."
#define ERR_LOADING "-LOADING Redis is loading the dataset in memory"
#define ERR_MULTI_NESTED "MULTI calls can not be nested"
#define ERR_EXEC_NO_MULTI "EXEC without MULTI"
#define ERR_DISCARD_NO_MULTI "DISCARD without MULTI"
#define ERR_EXECABORT "-EXECABORT Transaction discarded because of previous errors."
#define ERR_UNKNOWN_CMD "unknown command '%.128s', with args beginning with: %s"
#define ERR_ARITY "wrong number of arguments for '%s' command"
#define ERR_UNKNOWN_SUBCMD "unknown subcommand '%.128s'. Try %s HELP."
#define ERR_SUBCMD_ARITY "unknown subcommand or wrong number of arguments for '%.128s'. Try %s HELP."
#define ERR_PUBSUB_CONTEXT "Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"
#define ERR_NOPROTO "-NOPROTO unsupported protocol version"
#define ERR_CLIENT_NAME "Client names cannot contain spaces, newlines or special characters."
#define ERR_CLIENT_TYPE "Unknown client type '%s'"
#define ERR_HELLO_NOAUTH \
    "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH " \
    "<user> <pass> option can be used to authenticate the client and select the RESP protocol version at the " \
    "same time"
#define ERR_CONFIG_SET_FAILED "CONFIG SET failed (possibly related to argument '%s') - %s"
#define ERR_PROTECTED_DENIED \
    "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for " \
    "the default user. In this mode connections are only accepted from the loopback interface. If you want " \
    "to connect from external computers to Redis you may adopt one of the following solutions: 1) Just " \
    "disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by " \
    "connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly " \
    "accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) " \
    "Alternatively you can just disable the protected mode by editing the Redis configuration file, and " \
    "setting the protected mode option to 'no', and then restarting the server. 3) If you started the server " \
    "manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication " \
    "password for the default user. NOTE: You only need to do one of the above things in order for the server " \
    "to start accepting connections from the outside.\r\n"

#endif
