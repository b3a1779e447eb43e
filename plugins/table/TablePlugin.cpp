// The descriptor of the table plugin: credentials in SQLite or MySQL/MariaDB
// tables. client-auth/table serves [server] auth_table, api-auth/table
// serves [api] auth_user_table + auth_group_table. Neither store serialises
// anything itself: each call gets its own pooled connection, so calls may
// overlap.
#include "ClientTableStore.h"
#include "UserTableStore.h"

using rport::plugins::table::ClientTableStore;
using rport::plugins::table::UserTableStore;

RPORT_PLUGIN("table", "1.1.0",
             rport::sdk::authBackend<ClientTableStore>(RPORT_KIND_CLIENT_AUTH, "table",
                                                       RPORT_BACKEND_THREADSAFE),
             rport::sdk::authBackend<UserTableStore>(RPORT_KIND_API_AUTH, "table",
                                                     RPORT_BACKEND_THREADSAFE))
