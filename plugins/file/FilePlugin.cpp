// The descriptor of the "file" plugin: [server] auth_file. Only client
// credentials: API users live in a file of another shape, with groups and
// bcrypt-only passwords.
#include "FileStore.h"

using rport::plugins::file_auth::FileStore;

RPORT_PLUGIN("file", "1.0.0",
             rport::sdk::authBackend<FileStore>(RPORT_KIND_CLIENT_AUTH, "file",
                                                RPORT_BACKEND_THREADSAFE))
