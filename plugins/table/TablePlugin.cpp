// The descriptor of the table plugin: [server] auth_table, client credentials
// in a SQLite or MySQL/MariaDB table. TableStore serialises nothing itself
// but hands each call its own pooled connection, so calls may overlap.
#include "TableStore.h"

using rport::plugins::table::TableStore;

RPORT_PLUGIN("table", "1.0.0",
             rport::sdk::authBackend<TableStore>(RPORT_KIND_CLIENT_AUTH, "table",
                                                 RPORT_BACKEND_THREADSAFE))
