// The descriptor of the "file" plugin: one JSON file per store, served from
// memory, reloaded when it changes and rewritten atomically.
//   client-auth/file  [server] auth_file  {"client-id": "password", ...}
//   api-auth/file     [api] auth_file     [{"username", "password" (bcrypt), "groups", ...}]
#include "ApiUserFileStore.h"
#include "ClientFileStore.h"

using rport::plugins::file_auth::ApiUserFileStore;
using rport::plugins::file_auth::ClientFileStore;

RPORT_PLUGIN("file", "1.1.0",
             rport::sdk::authBackend<ClientFileStore>(RPORT_KIND_CLIENT_AUTH, "file",
                                                      RPORT_BACKEND_THREADSAFE),
             rport::sdk::authBackend<ApiUserFileStore>(RPORT_KIND_API_AUTH, "file",
                                                       RPORT_BACKEND_THREADSAFE))
